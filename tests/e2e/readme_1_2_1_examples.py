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


# The data capture examples, whole scripts (each makes its own client); the placeholders are
# the README's own (CAPTURE_ID, AUTHENTICATION_TOKEN, ATTRIBUTE_ID, ...).
DATA_CAPTURE_EXAMPLES = {
    "startCapture": """\
import asyncio
from avista_digital_exchange_sdk import AvistaDigitalExchange

# NOTE: The capture must be in 'READY' state to be started.
captureId = CAPTURE_ID
authenticationToken = AUTHENTICATION_TOKEN


async def main():
    # Create an instance of the AvistaDigitalExchange SDK
    # You may use a user authentication token or the authentication token of the Data Capture
    digitalExchange = AvistaDigitalExchange(authenticationToken)
    print("Instantiated AvistaDigitalExchange instance with authentication token")

    try:
        print("Calling dataCapture.startCapture")
        result = await digitalExchange.dataCapture.startCapture(
            captureId=captureId)
    except:
        print("dataCapture.startCapture failed")

if __name__ == "__main__":
    asyncio.run(main())

""",
    "stopCapture": """\
import asyncio
from avista_digital_exchange_sdk import AvistaDigitalExchange

# NOTE: The capture must be in 'CAPTURING' state to be stopped.
captureId = CAPTURE_ID
authenticationToken = AUTHENTICATION_TOKEN


async def main():
    # Create an instance of the AvistaDigitalExchange SDK
    # You may use a user authentication token or the authentication token of the Data Capture
    digitalExchange = AvistaDigitalExchange(authenticationToken)
    print("Instantiated AvistaDigitalExchange instance with authentication token")

    try:
        print("Calling dataCapture.stopCapture")
        result = await digitalExchange.dataCapture.stopCapture(
            captureId=captureId)
    except:
        print("dataCapture.stopCapture failed")

if __name__ == "__main__":
    asyncio.run(main())

""",
    "publishData": """\
import asyncio
import time
from avista_digital_exchange_sdk import AvistaDigitalExchange, DxTypes

authenticationToken = AUTHENTICATION_TOKEN_VALUE
captureId = YOUR_CAPTURE_ID

# Create an instance of the AvistaDigitalExchange SDK
# You may use a user authentication token or the authentication token of the Data Capture
digitalExchange = AvistaDigitalExchange(authenticationToken)
print("Instantiated AvistaDigitalExchange instance with authentication token")

# Specify the capture you are publishing data to.
# NOTE: The capture must be in Capturing state to accept data

def getCurrentMilliseconds():
    return int(f'{time.time() * 1000}'.split('.')[0])

async def publishDataExample():
    # Prepare the data to be published
    # Replace ATTRIBUTE_ID and ATTRIBUTE_VALUE
    attributeValueMap = {
        ATTRIBUTE_ID: ATTRIBUTE_VALUE,
        ATTRIBUTE_ID: ATTRIBUTE_VALUE,
        ATTRIBUTE_ID: ATTRIBUTE_VALUE,
    }

    data = [DxTypes.CaptureDataRecordInput(
            timestamp=f'{getCurrentMilliseconds()}',
            timeUnit="MILLISECONDS",
            attributeValues=attributeValueMap)]
    try:
        print("Calling dataCapture.publishData")
        result = await digitalExchange.dataCapture.publishData(
            captureId=captureId, data=data)
    except:
        print("dataCapture.publishData failed")

asyncio.run(publishDataExample())
""",
    "subscribeToData": """\
import asyncio
from avista_digital_exchange_sdk import AvistaDigitalExchange

authenticationToken = AUTHENTICATION_TOKEN
captureId = CAPTURE_ID


async def main():
    # Create an instance of the AvistaDigitalExchange SDK
    # You may use a user authentication token or the authentication token of the Data Capture
    digitalExchange = AvistaDigitalExchange(authenticationToken)
    print("Instantiated AvistaDigitalExchange instance with authentication token")

    try:
        print("Calling dataCapture.subscribeToData")
        # The for-loop will run each time a data publish event is received.
        async for result in digitalExchange.dataCapture.subscribeToData(
                captureId=captureId):
            print("DataCapture.subscribeToData: Data received.")
            print("Do something with data...")
    except Exception as error:
        print(f"dataCapture.subscribeToData failed with error: {error}")
        raise error

if __name__ == "__main__":
    asyncio.run(main())

""",
}
