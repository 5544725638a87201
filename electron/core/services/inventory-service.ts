// InventoryService: the IPC face of the multi-source Inventory (aws/inventory.ts). Lists and finds
// instances in the contract's terms (inventory-list.ts) and tells listeners when a fetch finished so
// the renderer can follow background refreshes.
import type { InventoryList, Instance } from '../../../shared/ipc';
import type { Inventory } from '../aws/inventory';
import type { Logger } from '../base/logger';
import { toErrorMessage } from '../base/errors';
import { Emitter } from '../base/event';
import { InventoryListMapper, type SourceNaming } from './inventory-list';

export interface InventoryService {
  /**
   * The last listing, after fetching sources never fetched (or at once with the disk cache's rows
   * while they are fetched); `refresh` asks AWS again.
   */
  list(options?: { refresh?: boolean; sourceIds?: readonly string[] }): Promise<InventoryList>;
  /** The instance as last listed (preferring `sourceId`/`region` when given). */
  find(instanceId: string, sourceId?: string, region?: string): Instance | undefined;
  /** Fires with the full listing whenever a fetch has finished and nothing is left running. */
  onChange(listener: (list: InventoryList) => void): () => void;
  dispose(): void;
}

export interface InventoryServiceOptions extends SourceNaming {
  readonly inventory: Inventory;
  readonly logger: Logger;
}

export function createInventoryService(options: InventoryServiceOptions): InventoryService {
  const logger = options.logger.child('inventory');
  const mapper = new InventoryListMapper(options);
  const changes = new Emitter<InventoryList>({
    onListenerError: (error) => {
      logger.log('error', 'inventory listener threw', { error: toErrorMessage(error) });
    },
  });

  const unsubscribe = options.inventory.onChange((snapshot) => {
    // Only settled states: a change per source starting would flood the renderer with 10k rows.
    if (snapshot.refreshing || changes.listenerCount === 0) return;
    changes.fire(mapper.toList(snapshot));
  });

  return {
    async list(request = {}) {
      const snapshot = request.refresh
        ? await options.inventory.refresh(
            request.sourceIds ? { sourceIds: inventoryIdsOf(request.sourceIds) } : {},
          )
        : await options.inventory.loadOrCached();
      return mapper.toList(snapshot);
    },

    find(instanceId, sourceId, region) {
      const list = mapper.toList(options.inventory.snapshot());
      const candidates = list.instances.filter((instance) => instance.instanceId === instanceId);
      return candidates.find(
        (instance) =>
          (sourceId === undefined || instance.sourceId === sourceId) &&
          (region === undefined || instance.region === region),
      );
    },

    onChange(listener) {
      const subscription = changes.event(listener);
      return () => subscription.dispose();
    },

    dispose() {
      unsubscribe();
      changes.dispose();
    },
  };

  /** IPC source ids (one per profile) to the Inventory's ids (one per profile and region). */
  function inventoryIdsOf(sourceIds: readonly string[]): string[] {
    const wanted = new Set(sourceIds);
    return options.inventory
      .snapshot()
      .sources.filter((s) => wanted.has(options.sourceIdOf(s.source.profile)))
      .map((s) => s.source.id);
  }
}
