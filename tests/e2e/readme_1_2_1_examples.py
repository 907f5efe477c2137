"""The examples of the published 1.2.1 SDK's README (avista-digital-exchange-sdk), verbatim but
for their placeholders (ids, token, files), which the tests fill in. The tests run each with
only the import changed to avista_dx."""

from __future__ import annotations

SETUP = """\
from avista_digital_exchange_sdk import AvistaDigitalExchange

digitalExchange = AvistaDigitalExchange("tokenvalue")
"""

# In an order they can run in: the upload first, so that its file can be read and deleted.
DATA_STORE_EXAMPLES = {
    "getUserInfo": "user = digitalExchange.getUserInfo()\n",
    "listDataStores": "dataStores = digitalExchange.dataStores.listDataStores()\n",
    "getDataStore": """\
dataStore = digitalExchange.dataStores.getDataStore("dataStoreId.1234")

dataStore.ls()
dataStore.cd("dirname1")
""",
    "getDataStoreDirectory": (
        'dir = digitalExchange.dataStores.getDataStoreDirectory("dataStoreDirectoryId.1234")\n'
    ),
    "uploadFileToDataStore": (
        "file = digitalExchange.dataStores.uploadFileToDataStore("
        '"dataStoreId.1234", "dataStoreDirectoryId.1234", "./testFile.txt")\n'
    ),
    "getDataStoreFileMeta": (
        'file = digitalExchange.dataStores.getDataStoreFileMeta("dataStoreFileId.1234")\n'
    ),
    "downloadDataStoreFile": (
        'file = digitalExchange.dataStores.downloadDataStoreFile("dataStoreFileId.1234", "./")\n'
    ),
    "cd": 'ds = digitalExchange.getDataStore("dataStoreId.1234")\nds.cd("docs")\n',
    "ls": 'ds = digitalExchange.getDataStore("dataStoreId.1234")\nds.ls("./")\n',
    "pwd": 'ds = digitalExchange.getDataStore("dataStoreId.1234")\nds.pwd()\n',
    "uploadFile": """\
ds = digitalExchange.getDataStore("dataStoreId.1234")
ds.uploadFile("./exampleFile.json", "remoteFileName.json", "A file containing a basic json object.")
""",
    "downloadFile": """\
ds = digitalExchange.getDataStore("dataStoreId.1234")
ds.downloadFile("remoteFileName.json", "./desiredLocalFileName.json")
""",
    "deleteFile": """\
ds = digitalExchange.getDataStore("dataStoreId.1234")
ds.deleteFile("remoteFileName.json")
""",
    "printContents": """\
dir = digitalExchange.getDataStoreDirectory("dataStoreDirectoryId.1234")
dir.printContents()
""",
    "deleteDataStoreFile": (
        'file = digitalExchange.dataStores.deleteDataStoreFile("dataStoreFileId.1234")\n'
    ),
}
