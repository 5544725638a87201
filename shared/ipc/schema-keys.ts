// Lists every object key a zod schema can accept or produce, for the contract's no-secrets check.
import type { z } from 'zod';

interface AnyDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  options?: readonly z.ZodType[];
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  left?: z.ZodType;
  right?: z.ZodType;
  items?: readonly z.ZodType[];
  rest?: z.ZodType | null;
  getter?: () => z.ZodType;
}

function defOf(schema: z.ZodType): AnyDef {
  return (schema as unknown as { _zod: { def: AnyDef } })._zod.def;
}

export function collectSchemaKeys(schema: z.ZodType): string[] {
  const keys = new Set<string>();
  const seen = new Set<z.ZodType>();
  const visit = (node: z.ZodType | null | undefined): void => {
    if (!node || seen.has(node)) return;
    seen.add(node);
    const def = defOf(node);
    if (def.shape) {
      for (const [key, child] of Object.entries(def.shape)) {
        keys.add(key);
        visit(child);
      }
    }
    visit(def.element);
    visit(def.innerType);
    def.options?.forEach(visit);
    visit(def.keyType);
    visit(def.valueType);
    visit(def.in);
    visit(def.out);
    visit(def.left);
    visit(def.right);
    def.items?.forEach(visit);
    visit(def.rest);
    if (def.type === 'lazy' && def.getter) visit(def.getter());
  };
  visit(schema);
  return [...keys];
}
