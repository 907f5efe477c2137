// Services reachable through collaboratives (a member sees them there, not in its own lists).

import { gql } from "./api.js";

const SHARED = `query ConsoleShared($id: ID!) {
  collaborative_listCollaborativeServices(collaborativeId: $id) {
    serviceId serviceType
    dataStore { dataStoreId name description homeDirectoryId ownerUserId }
    timeSeriesDb { timeSeriesDbId name description ownerUserId }
  }
}`;

// [{ collaborative, service }] of one ServiceType, across every visible collaborative.
export async function sharedServices(serviceType) {
  const data = await gql("query ConsoleCollaborativeIds { collaborative_listCollaboratives { collaborativeId name } }");
  const collaboratives = (data.collaborative_listCollaboratives ?? []).filter(Boolean);
  const lists = await Promise.all(
    collaboratives.map(async (collaborative) => {
      const services = (await gql(SHARED, { id: collaborative.collaborativeId })).collaborative_listCollaborativeServices;
      return (services ?? [])
        .filter((service) => service?.serviceType === serviceType)
        .map((service) => ({ collaborative, service }));
    }),
  );
  return lists.flat();
}
