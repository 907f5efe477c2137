// The console's shell: sign-in, navigation (location.hash) and the views.

import { GraphQLError, gql, session } from "./api.js";
import { fill, h, put } from "./dom.js";
import * as collaboratives from "./views/collaboratives.js";
import * as databases from "./views/databases.js";
import * as iot from "./views/iot.js";
import * as organizations from "./views/organizations.js";
import * as stores from "./views/stores.js";

const VIEWS = [
  { path: "stores", title: "Data stores", view: stores },
  { path: "databases", title: "Time-series databases", view: databases },
  { path: "collaboratives", title: "Collaboratives", view: collaboratives },
  { path: "iot", title: "IoT", view: iot },
  { path: "organizations", title: "Organizations & users", view: organizations },
];

const SESSION_QUERY = `query ConsoleSession {
  user_getUserSession {
    user { userId firstName lastName email userRoles organization { organizationId name hostOrganization } }
  }
}`;

const root = document.getElementById("app");
let current = { user: null, cleanup: null };

const HINTS = {
  Unauthorized: "this user may not do that, or the object does not exist",
  UnauthorizedException: "the token is missing, unknown or expired",
};

export function errorBox(error) {
  const message = error.message ?? String(error);
  const type = error instanceof GraphQLError ? error.errorType : null;
  const text = type && type !== message ? `${type}: ${message}` : message;
  const hint = HINTS[type];
  return h("div", { class: "error", role: "alert" }, hint ? `${text} (${hint})` : text);
}

async function signIn(token) {
  const data = await gql(SESSION_QUERY, {}, token);
  session.token = token;
  current.user = data.user_getUserSession.user;
  if (!location.hash) location.hash = "#/stores";
  await show();
}

function signOut() {
  session.token = null;
  current.user = null;
  location.hash = "";
  renderSignIn();
}

async function renderSignIn(problem) {
  const input = h("input", { type: "password", id: "token", placeholder: "Token", autocomplete: "off", size: 40 });
  const message = h("div");
  if (problem) put(message, errorBox(problem));
  const attempt = async (token) => {
    message.replaceChildren();
    try {
      await signIn(token);
    } catch (error) {
      put(message, errorBox(error));
    }
  };
  const demo = h("div", { class: "demo-tokens" });
  fill(root, 
    h(
      "main",
      { class: "sign-in" },
      h("h1", {}, "avista-dx emulator console"),
      h("p", {}, "Sign in with an exchange token (the raw value, as in the Authorization header)."),
      h(
        "form",
        { onsubmit: (event) => (event.preventDefault(), attempt(input.value.trim())) },
        input,
        h("button", { type: "submit", class: "primary" }, "Sign in"),
      ),
      demo,
      message,
    ),
  );
  try {
    const { tokens } = await (await fetch("/_emulator/console/demo-tokens")).json();
    if (tokens.length) {
      put(demo, 
        h("p", {}, "Or sign in as one of the seed's users:"),
        ...tokens.map((entry) =>
          h("button", { type: "button", class: "demo", dataset: { role: entry.role }, onclick: () => attempt(entry.token) },
            h("strong", {}, entry.name), h("span", {}, entry.role)),
        ),
      );
    }
  } catch {
    // No seed tokens to offer: typing a token still works.
  }
}

function navigation(active) {
  const user = current.user;
  return h(
    "nav",
    {},
    h("div", { class: "brand" }, "avista-dx emulator"),
    VIEWS.map(({ path, title }) =>
      h("a", { href: `#/${path}`, class: path === active ? "active" : null }, title),
    ),
    h("a", { href: "/graphql", target: "_blank", rel: "noopener" }, "GraphiQL ↗"),
    h(
      "div",
      { class: "who" },
      h("strong", {}, `${user.firstName ?? ""} ${user.lastName ?? ""}`),
      h("span", {}, user.organization?.name ?? ""),
      h("span", {}, (user.userRoles ?? []).join(", ")),
      h("button", { type: "button", onclick: signOut }, "Sign out"),
    ),
  );
}

async function show() {
  current.cleanup?.();
  current.cleanup = null;
  const [path = "stores", ...params] = location.hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
  const entry = VIEWS.find((view) => view.path === path) ?? VIEWS[0];
  const content = h("section", { class: "content" });
  fill(root, h("div", { class: "layout" }, navigation(entry.path), content));
  try {
    current.cleanup = (await entry.view.render(content, params, { user: current.user, errorBox })) ?? null;
  } catch (error) {
    content.append(errorBox(error));
  }
}

window.addEventListener("hashchange", () => current.user && show());

if (session.token) {
  signIn(session.token).catch((error) => {
    session.token = null;
    renderSignIn(error);
  });
} else {
  renderSignIn();
}
