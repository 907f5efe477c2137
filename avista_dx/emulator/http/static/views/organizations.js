// Organizations and users: everyone's for a platform admin, the user's own otherwise.

import { gql } from "../api.js";
import { h, put, table } from "../dom.js";

const ADMIN_LIST = `query ConsoleDirectory {
  platformAdmin_listOrganizations { organizationId name hostOrganization }
  platformAdmin_listUsers { userId firstName lastName email userRoles userAccountState organization { organizationId } }
}`;

function userRow(user) {
  return [`${user.firstName ?? ""} ${user.lastName ?? ""}`, user.email ?? "", (user.userRoles ?? []).join(", "), user.userAccountState ?? "", h("code", {}, user.userId)];
}

const USER_HEADERS = ["Name", "Email", "Roles", "State", "Id"];

export async function render(container, _params, ctx) {
  const me = ctx.user;
  put(container, h("h2", {}, "Organizations & users"));
  if (!(me.userRoles ?? []).includes("PLATFORM_ADMIN")) {
    put(container, 
      h("p", { class: "muted" }, "Only platform admins list every organization and user; this is your own."),
      table(["Organization", "Host", "Id"], [[me.organization?.name ?? "", me.organization?.hostOrganization ? "yes" : "no", h("code", {}, me.organization?.organizationId ?? "")]]),
      table(USER_HEADERS, [userRow(me)]),
    );
    return;
  }
  const data = await gql(ADMIN_LIST);
  const users = (data.platformAdmin_listUsers ?? []).filter(Boolean);
  for (const organization of (data.platformAdmin_listOrganizations ?? []).filter(Boolean)) {
    const members = users.filter((user) => user.organization?.organizationId === organization.organizationId);
    put(container, 
      h("article", { class: "card" },
        h("h3", {}, organization.name, organization.hostOrganization ? h("span", { class: "badge" }, "host") : null),
        h("p", {}, h("code", {}, organization.organizationId)),
        members.length ? table(USER_HEADERS, members.map(userRow)) : h("p", { class: "muted" }, "No users.")),
    );
  }
}
