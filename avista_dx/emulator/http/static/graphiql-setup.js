// GraphiQL (vendored UMD build, globals React / ReactDOM / GraphiQL) on the emulator: queries
// and mutations over POST /graphql, subscriptions over AppSync's real-time protocol, the
// token from the Authorization header in the headers editor (prefilled from the console).

import { GRAPHQL_URL, session } from "./api.js";
import { subscribe } from "./realtime.js";

const { parse, getOperationAST } = window.GraphiQL.GraphQL;

function isSubscription(query, operationName) {
  try {
    return getOperationAST(parse(query), operationName || undefined)?.operation === "subscription";
  } catch {
    return false; // unparseable: the server's validation error says why
  }
}

function authorizationOf(headers) {
  const entry = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === "authorization");
  return entry ? String(entry[1]) : "";
}

// An observable GraphiQL unsubscribes from when the user stops the operation.
function subscriptionObservable(params, token) {
  return {
    subscribe(observer) {
      const stop = subscribe(GRAPHQL_URL, token, params, {
        next: (payload) => observer.next(payload),
        error: (errors) => observer.error({ errors }),
        complete: () => observer.complete(),
      });
      return { unsubscribe: stop };
    },
  };
}

async function fetcher(params, options = {}) {
  const headers = options.headers ?? {};
  const request = { query: params.query, variables: params.variables, operationName: params.operationName };
  if (isSubscription(params.query, params.operationName)) {
    return subscriptionObservable(request, authorizationOf(headers));
  }
  const response = await fetch(GRAPHQL_URL, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify(request),
  });
  return response.json(); // AppSync-style error bodies (401, 400) are shown as they are
}

const token = session.token ?? "";
const defaultQuery = `# The emulator's GraphQL API. The token goes in the Authorization header
# (Headers, below): ${token ? "the console's" : "sign in to the console, or paste one"}.
query Me {
  user_getUserSession {
    user { firstName lastName email organization { name } }
  }
}
`;

ReactDOM.createRoot(document.getElementById("graphiql")).render(
  React.createElement(GraphiQL, {
    fetcher,
    defaultQuery,
    defaultHeaders: JSON.stringify({ Authorization: token }, null, 2),
    defaultEditorToolsVisibility: "headers",
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: false,
  }),
);
