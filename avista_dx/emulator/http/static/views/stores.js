// Data stores: list, browse directories, download (presigned GET), upload (presigned PUT), delete.

import { gql } from "../api.js";
import { formatBytes, h, put, saveBlob, table } from "../dom.js";
import { sharedServices } from "../collaborative_services.js";

const FILE_FIELDS = "dataStoreFileId name fileExtension contentType storageSizeBytes lastModified s3ConfirmedUpload";
const DIRECTORY_QUERY = `query ConsoleDirectory($id: ID!) {
  storage_getDataStoreDirectory(dataStoreDirectoryId: $id) {
    dataStoreDirectoryId name parentDirectoryId homeDirectory dataStoreId
    contents {
      objectType
      dataStoreDirectory { dataStoreDirectoryId name }
      dataStoreFile { ${FILE_FIELDS} }
    }
  }
}`;

function fileName(file) {
  return file.fileExtension ? `${file.name}.${file.fileExtension}` : file.name;
}

// "archive.tar.gz" → ["archive", "tar.gz"]: the name ends at the first dot, as the seed's files.
function splitName(filename) {
  const dot = filename.indexOf(".");
  return dot <= 0 ? [filename, ""] : [filename.slice(0, dot), filename.slice(dot + 1)];
}

async function download(file) {
  const data = await gql(
    "query ConsoleDownloadUrl($id: ID!) { storage_getDataStoreFileDownloadUrl(dataStoreFileId: $id) { url } }",
    { id: file.dataStoreFileId },
  );
  const response = await fetch(data.storage_getDataStoreFileDownloadUrl.url);
  if (!response.ok) throw new Error(`download failed: HTTP ${response.status}`);
  saveBlob(await response.blob(), fileName(file));
}

async function upload(storeId, directoryId, file) {
  const [name, fileExtension] = splitName(file.name);
  const data = await gql(
    `mutation ConsoleCreateFile($store: ID!, $dir: ID!, $name: String!, $ext: String!) {
      storage_createDataStoreFile(dataStoreId: $store, dataStoreDirectoryId: $dir, name: $name, fileExtension: $ext) { url }
    }`,
    { store: storeId, dir: directoryId, name, ext: fileExtension },
  );
  const response = await fetch(data.storage_createDataStoreFile.url, {
    method: "PUT",
    headers: { "Content-Type": file.type || "binary/octet-stream" },
    body: file,
  });
  if (!response.ok) throw new Error(`upload failed: HTTP ${response.status} ${await response.text()}`);
}

async function renderStoreList(container) {
  const [data, shared] = await Promise.all([
    gql("query ConsoleStores { storage_listDataStores { dataStoreId name description homeDirectoryId ownerUserId } }"),
    sharedServices("DATA_STORE"),
  ]);
  const own = (data.storage_listDataStores ?? []).filter(Boolean);
  const ownIds = new Set(own.map((store) => store.dataStoreId));
  const viaCollaboratives = shared.filter(({ service }) => service.dataStore && !ownIds.has(service.dataStore.dataStoreId));
  const storeLink = (store) =>
    h("a", { href: `#/stores/${encodeURIComponent(store.dataStoreId)}/${encodeURIComponent(store.homeDirectoryId)}` }, store.name);
  const rows = [
    ...own.map((store) => [storeLink(store), store.description ?? "", "yours", h("code", {}, store.dataStoreId)]),
    ...viaCollaboratives.map(({ collaborative, service: { dataStore: store } }) => [
      storeLink(store), store.description ?? "", `shared in ${collaborative.name}`, h("code", {}, store.dataStoreId),
    ]),
  ];
  put(
    container,
    h("h2", {}, "Data stores"),
    rows.length
      ? table(["Name", "Description", "Access", "Id"], rows, { class: "stores" })
      : h("p", {}, "No data store is visible to this user."),
  );
}

async function renderDirectory(container, storeId, directoryId, ctx) {
  const [{ storage_getDataStore: store }, { storage_getDataStoreDirectory: directory }] = await Promise.all([
    gql("query ConsoleStore($id: ID!) { storage_getDataStore(dataStoreId: $id) { name homeDirectoryId } }", { id: storeId }),
    gql(DIRECTORY_QUERY, { id: directoryId }),
  ]);
  const status = h("div", { class: "status" });
  const act = (action) => async () => {
    status.replaceChildren();
    try {
      await action();
    } catch (error) {
      put(status, ctx.errorBox(error));
    }
  };
  const reload = () => {
    container.replaceChildren();
    return renderDirectory(container, storeId, directoryId, ctx).catch((error) => put(container, ctx.errorBox(error)));
  };
  const link = (id, label) => h("a", { href: `#/stores/${encodeURIComponent(storeId)}/${encodeURIComponent(id)}` }, label);
  const entries = (directory.contents ?? []).filter(Boolean);
  const rows = entries.map((entry) => {
    if (entry.objectType === "DIRECTORY") {
      const sub = entry.dataStoreDirectory;
      return [h("span", { class: "directory" }, link(sub.dataStoreDirectoryId, `${sub.name}/`)), "", "", "", h("button", {
        type: "button",
        class: "danger",
        onclick: act(async () => {
          if (!confirm(`Delete the directory ${sub.name} and everything in it?`)) return;
          await gql("mutation ConsoleDeleteDirectory($id: ID!) { storage_deleteDataStoreDirectory(dataStoreDirectoryId: $id) { dataStoreDirectoryId } }", { id: sub.dataStoreDirectoryId });
          await reload();
        }),
      }, "Delete")];
    }
    const file = entry.dataStoreFile;
    return [
      h("span", { class: "file" }, fileName(file)),
      file.s3ConfirmedUpload ? formatBytes(file.storageSizeBytes) : "upload pending",
      file.contentType ?? "",
      file.lastModified ?? "",
      h("span", { class: "actions" },
        h("button", { type: "button", disabled: !file.s3ConfirmedUpload, onclick: act(() => download(file)) }, "Download"),
        h("button", {
          type: "button",
          class: "danger",
          onclick: act(async () => {
            if (!confirm(`Delete ${fileName(file)}?`)) return;
            await gql("mutation ConsoleDeleteFile($id: ID!) { storage_deleteDataStoreFile(dataStoreFileId: $id) { dataStoreFileId } }", { id: file.dataStoreFileId });
            await reload();
          }),
        }, "Delete")),
    ];
  });
  const picker = h("input", { type: "file", multiple: true, id: "upload" });
  const directoryName = h("input", { type: "text", placeholder: "New directory name", size: 20 });
  put(container, 
    h("p", { class: "breadcrumbs" }, h("a", { href: "#/stores" }, "Data stores"), " / ", link(store.homeDirectoryId, store.name),
      directory.homeDirectory ? "" : [" / … / ", directory.name]),
    h("h2", {}, directory.homeDirectory ? store.name : directory.name),
    directory.homeDirectory ? null : h("p", {}, link(directory.parentDirectoryId, "↑ Parent directory")),
    entries.length ? table(["Name", "Size", "Content type", "Last modified", ""], rows, { class: "listing" }) : h("p", {}, "This directory is empty."),
    h("div", { class: "toolbar" },
      h("label", {}, "Upload: ", picker),
      h("button", { type: "button", onclick: act(async () => {
        for (const file of picker.files) await upload(storeId, directoryId, file);
        await reload();
      }) }, "Upload"),
      directoryName,
      h("button", { type: "button", onclick: act(async () => {
        await gql("mutation ConsoleCreateDirectory($store: ID!, $parent: ID!, $name: String!) { storage_createDataStoreDirectory(dataStoreId: $store, parentDirectoryId: $parent, name: $name) { dataStoreDirectoryId } }",
          { store: storeId, parent: directoryId, name: directoryName.value.trim() });
        await reload();
      }) }, "Create directory")),
    status,
  );
}

export async function render(container, [storeId, directoryId], ctx) {
  if (storeId && directoryId) await renderDirectory(container, storeId, directoryId, ctx);
  else await renderStoreList(container);
}
