// Collaboratives: members, shared services, and sharing / unsharing the user's own services.

import { gql } from "../api.js";
import { h, put, table } from "../dom.js";

const LIST = `query ConsoleCollaboratives {
  collaborative_listCollaboratives {
    collaborativeId name description hostOrganizationId
    memberOrganizations {
      memberState
      organization { name }
      usersInCollaborative { permission user { firstName lastName } }
    }
  }
}`;
const SERVICES = `query ConsoleServices($id: ID!) {
  collaborative_listCollaborativeServices(collaborativeId: $id) {
    serviceId serviceType dataStore { name ownerUserId } timeSeriesDb { name ownerUserId }
  }
}`;
const OWN = `query ConsoleOwnServices {
  storage_listDataStores { dataStoreId name ownerUserId }
  timeSeriesDb_listDatabases { timeSeriesDbId name ownerUserId }
}`;
const SHARE = `mutation ConsoleShare($c: ID!, $s: ID!, $t: ServiceType!) {
  collaborative_addServiceToCollaborative(collaborativeId: $c, serviceId: $s, serviceType: $t) { serviceId }
}`;
const UNSHARE = `mutation ConsoleUnshare($c: ID!, $s: ID!, $t: ServiceType!) {
  collaborative_removeServiceFromCollaborative(collaborativeId: $c, serviceId: $s, serviceType: $t) { serviceId }
}`;

function serviceName(service) {
  return service.dataStore?.name ?? service.timeSeriesDb?.name ?? service.serviceId;
}

async function collaborativeCard(collaborative, own, ctx) {
  const card = h("article", { class: "card" });
  const status = h("div");
  const act = (action) => async () => {
    status.replaceChildren();
    try {
      await action();
      card.replaceWith(await collaborativeCard(collaborative, own, ctx));
    } catch (error) {
      put(status, ctx.errorBox(error));
    }
  };
  const { collaborative_listCollaborativeServices: services } = await gql(SERVICES, { id: collaborative.collaborativeId });
  const shared = (services ?? []).filter(Boolean);
  const sharedIds = new Set(shared.map((service) => service.serviceId));
  const choices = own.filter((service) => !sharedIds.has(service.id));
  const select = h("select", {}, choices.map((service) => h("option", { value: `${service.type}|${service.id}` }, `${service.name} (${service.type})`)));
  const members = (collaborative.memberOrganizations ?? []).filter(Boolean).map((member) => [
    member.organization?.name ?? "",
    member.memberState ?? "",
    (member.usersInCollaborative ?? []).filter(Boolean).map((entry) => `${entry.user?.firstName ?? ""} ${entry.user?.lastName ?? ""} (${entry.permission})`).join(", "),
  ]);
  put(card, 
    h("h3", {}, collaborative.name),
    collaborative.description ? h("p", {}, collaborative.description) : null,
    h("h4", {}, "Member organizations"),
    members.length ? table(["Organization", "State", "Users"], members) : h("p", { class: "muted" }, "None listed."),
    h("h4", {}, "Shared services"),
    shared.length
      ? table(["Service", "Type", ""], shared.map((service) => [
          serviceName(service),
          service.serviceType,
          // Only the service's owner may unshare it.
          (service.dataStore ?? service.timeSeriesDb)?.ownerUserId === ctx.user.userId
            ? h("button", { type: "button", class: "danger", onclick: act(() => gql(UNSHARE, { c: collaborative.collaborativeId, s: service.serviceId, t: service.serviceType })) }, "Unshare")
            : "",
        ]))
      : h("p", { class: "muted" }, "Nothing is shared yet."),
    choices.length
      ? h("div", { class: "toolbar" }, select, h("button", { type: "button", onclick: act(() => {
          const [type, id] = select.value.split("|");
          return gql(SHARE, { c: collaborative.collaborativeId, s: id, t: type });
        }) }, "Share"))
      : null,
    status,
  );
  return card;
}

export async function render(container, _params, ctx) {
  const [{ collaborative_listCollaboratives: list }, owned] = await Promise.all([gql(LIST), gql(OWN)]);
  const mine = (items) => (items ?? []).filter((item) => item && item.ownerUserId === ctx.user.userId);
  const own = [
    ...mine(owned.storage_listDataStores).map((store) => ({ type: "DATA_STORE", id: store.dataStoreId, name: store.name })),
    ...mine(owned.timeSeriesDb_listDatabases).map((db) => ({ type: "TIME_SERIES_DB", id: db.timeSeriesDbId, name: db.name })),
  ];
  const collaboratives = (list ?? []).filter(Boolean);
  put(container, h("h2", {}, "Collaboratives"));
  if (!collaboratives.length) put(container, h("p", {}, "No collaborative is visible to this user."));
  for (const collaborative of collaboratives) put(container, await collaborativeCard(collaborative, own, ctx));
}
