import { MemoryObjectStore } from '../../runtime/storage/object-store.js';
import { objectStoreContract } from './object-store-contract.js';

objectStoreContract('memory', async () => ({ store: new MemoryObjectStore() }));
