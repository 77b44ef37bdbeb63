// The model adapted to the person's voice, kept in this browser's IndexedDB so it survives a
// reload (it never leaves the machine). One record: { name, text } of the model file.

const DB = 'ser';
const STORE = 'models';
const KEY = 'adapted';

function openDb() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run(mode, action) {
  const db = await openDb();
  try {
    return await new Promise((resolve, reject) => {
      const request = action(db.transaction(STORE, mode).objectStore(STORE));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  } finally {
    db.close();
  }
}

export const loadAdapted = () => run('readonly', (store) => store.get(KEY)).then((record) => record ?? null);
export const saveAdapted = (record) => run('readwrite', (store) => store.put(record, KEY));
export const clearAdapted = () => run('readwrite', (store) => store.delete(KEY));
