// The console's only way to the emulator: its public GraphQL API, as any client sees it.

export const GRAPHQL_URL = new URL("/graphql", location.href).toString();
const TOKEN_KEY = "avista-dx-console-token";

export const session = {
  get token() {
    return localStorage.getItem(TOKEN_KEY);
  },
  set token(value) {
    if (value) localStorage.setItem(TOKEN_KEY, value);
    else localStorage.removeItem(TOKEN_KEY);
  },
};

export class GraphQLError extends Error {
  constructor(errors, status) {
    const first = errors[0] ?? {};
    super(first.message ?? `HTTP ${status}`);
    this.errors = errors;
    this.errorType = first.errorType ?? null;
    this.status = status;
  }
}

// Runs one operation; resolves to `data` or rejects with a GraphQLError (errorType kept).
export async function gql(query, variables = {}, token = session.token) {
  const response = await fetch(GRAPHQL_URL, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: token ?? "" },
    body: JSON.stringify({ query, variables }),
  });
  let body;
  try {
    body = await response.json();
  } catch {
    throw new GraphQLError([{ message: `HTTP ${response.status}` }], response.status);
  }
  if (body.errors?.length) throw new GraphQLError(body.errors, response.status);
  return body.data;
}
