// AppSync's real-time protocol (subprotocol "graphql-ws") over one WebSocket, as the
// emulator serves it on the GraphQL path (docs/emulator.md, "Real-time subscriptions").
// Used by the console's live views and by GraphiQL's subscription fetcher.

function base64Json(value) {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export function realtimeUrl(graphqlUrl, token) {
  const url = new URL(graphqlUrl, location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.hostname = url.hostname.replace("appsync-api", "appsync-realtime-api");
  url.search = new URLSearchParams({
    header: base64Json({ host: new URL(graphqlUrl, location.href).host, Authorization: token }),
    payload: "e30=",
  }).toString();
  return url.toString();
}

let nextId = 1;

// One subscription on its own connection (simple, and a stopped subscription frees its socket).
// handlers: { next(payload), error(errors), complete() }. Returns stop().
export function subscribe(graphqlUrl, token, request, handlers) {
  const id = `console-${nextId++}`;
  const host = new URL(graphqlUrl, location.href).host;
  const socket = new WebSocket(realtimeUrl(graphqlUrl, token), "graphql-ws");
  let finished = false;
  let acknowledged = false;
  const finish = (callback) => {
    if (finished) return;
    finished = true;
    callback();
    if (socket.readyState <= WebSocket.OPEN) socket.close();
  };
  socket.addEventListener("open", () => socket.send(JSON.stringify({ type: "connection_init" })));
  socket.addEventListener("message", (event) => {
    let message;
    try {
      message = JSON.parse(event.data);
    } catch {
      return;
    }
    switch (message.type) {
      case "connection_ack":
        acknowledged = true;
        socket.send(
          JSON.stringify({
            id,
            type: "start",
            payload: {
              data: JSON.stringify(request),
              extensions: { authorization: { host, Authorization: token } },
            },
          }),
        );
        break;
      case "start_ack":
        handlers.started?.();
        break;
      case "data":
        if (message.id === id) handlers.next(message.payload);
        break;
      case "connection_error":
      case "error":
        finish(() => handlers.error(message.payload?.errors ?? [{ message: "real-time error" }]));
        break;
      case "complete":
        finish(() => handlers.complete?.());
        break;
      default: // "ka": keep-alive
    }
  });
  socket.addEventListener("close", (event) => {
    const reason = acknowledged ? "real-time connection closed" : "could not open the real-time connection";
    finish(() => handlers.error([{ message: `${reason} (code ${event.code})` }]));
  });
  return function stop() {
    finish(() => {
      if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: "stop", id }));
      handlers.complete?.();
    });
  };
}
