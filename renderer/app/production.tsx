// Production marking in the UI: the rule from Settings applied (through shared/domain/production)
// to inventory rows, terminal tabs and frames, and forward rows, and the one badge they all show.
import { useCallback } from 'react';
import { useStore } from 'zustand';
import { productionReason, type ProductionRule } from '../../shared/domain';
import type { Instance } from '../../shared/ipc';
import { useServices } from './context';

/** What a tab or a forward knows about its instance. */
export interface ProductionTarget {
  readonly instanceId: string;
  readonly region: string;
  readonly profile?: string | undefined;
  /** Known when the target came from the inventory. */
  readonly tags?: readonly { readonly key: string; readonly value: string }[] | undefined;
}

export function useProductionRule(): ProductionRule {
  const { settings } = useServices();
  return useStore(settings, (state) => state.settings.production);
}

export function instanceProduction(instance: Instance, rule: ProductionRule): string | undefined {
  return productionReason({ tags: instance.tags, profile: instance.profile }, rule);
}

/**
 * Why a target is production, or undefined. Tags come from the target, else from the listed
 * instance it names, so a forward started before the listing still gets marked once it arrives.
 */
export function useTargetProduction(): (target: ProductionTarget) => string | undefined {
  const { inventory } = useServices();
  const rule = useProductionRule();
  const instances = useStore(inventory, (state) => state.instances);
  return useCallback(
    (target: ProductionTarget) => {
      const listed = instances.find(
        (instance) =>
          instance.instanceId === target.instanceId &&
          instance.region === target.region &&
          (target.profile === undefined || instance.profile === target.profile),
      );
      return productionReason(
        { tags: target.tags ?? listed?.tags ?? [], profile: target.profile ?? listed?.profile },
        rule,
      );
    },
    [instances, rule],
  );
}

/** The red "PROD" label; its title says which tag or profile made it production. */
export function ProductionBadge({ reason }: { reason: string }) {
  return (
    <span
      className="prod-badge"
      title={`Production (${reason})`}
      aria-label={`Production: ${reason}`}
      data-testid="production-badge"
    >
      PROD
    </span>
  );
}
