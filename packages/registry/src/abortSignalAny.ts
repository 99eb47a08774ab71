/**
 * Node 20's `AbortSignal.any` keeps, in each source signal, a WeakRef to every composite ever made
 * from it, and never drops the dead ones (nodejs/node#55351; later Node versions prune them with a
 * FinalizationRegistry). The SDK's Streamable HTTP client combines its transport's lifelong signal
 * with each request's own on the current protocol (2026-07-28), so the gateway in front of such a
 * backend grew by ~60 bytes per call for as long as the connection lived (docs/BENCHMARKS.md,
 * seventh pass). {@link pruneAbortSignalAny} wraps `AbortSignal.any` to do what the upstream fix
 * does: once a composite is collected, the dead references are dropped from its sources. Nothing
 * else about `any` changes: the native implementation still makes and links every composite.
 *
 * It reads the sources' set of dependants through the property Node keeps it in (an own symbol
 * described `kDependantSignals`); where a Node version keeps it otherwise, nothing is installed.
 * Node 22 and 24 prune the set themselves (22.23.5 and 24.22.3 keep none of 5,000 dead composites
 * after a collection, 20.20.2 all of them): there the wrapper finds nothing left to drop.
 */

type Dependants = Set<WeakRef<AbortSignal>>;

/** Where Node keeps a source signal's dependants: found once, on a signal made for the purpose. */
function dependantsKey(any: (signals: AbortSignal[]) => AbortSignal): symbol | undefined {
  const source = new AbortController().signal;
  any([source]);
  // A set, by its methods: Node's is its own realm's (not `instanceof` the caller's Set under a VM, as in jest).
  return Object.getOwnPropertySymbols(source).find((key) => {
    const value = (source as unknown as Record<symbol, Partial<Dependants> | undefined>)[key];
    return key.description === 'kDependantSignals' && typeof value?.delete === 'function' && value.size === 1;
  });
}

let installed: boolean | undefined;

/**
 * Installs the pruning wrapper around `AbortSignal.any`, once per process; true when it is in
 * place (now or before), false when this Node keeps dependants where it cannot be found.
 */
export function pruneAbortSignalAny(): boolean {
  if (installed !== undefined) return installed;
  const native = AbortSignal.any.bind(AbortSignal) as (signals: AbortSignal[]) => AbortSignal;
  const key = dependantsKey(native);
  installed = key !== undefined;
  if (!key) return installed;
  const dependantsOf = (signal: AbortSignal) => (signal as unknown as Record<symbol, Dependants | undefined>)[key];

  // Sources whose dependants lost a composite, swept together once the collector has run.
  const pending = new Set<Dependants>();
  const sweep = () => {
    for (const dependants of pending)
      for (const ref of dependants) if (ref.deref() === undefined) dependants.delete(ref);
    pending.clear();
  };
  const collected = new FinalizationRegistry<WeakRef<AbortSignal>[]>((sources) => {
    if (pending.size === 0) setImmediate(sweep).unref();
    for (const source of sources) {
      const signal = source.deref();
      const dependants = signal && dependantsOf(signal);
      if (dependants) pending.add(dependants);
    }
  });

  AbortSignal.any = function any(signals: Iterable<AbortSignal>): AbortSignal {
    const list = [...signals];
    const composite = native(list);
    const sources = list.filter((signal) => dependantsOf(signal) !== undefined).map((signal) => new WeakRef(signal));
    if (sources.length > 0) collected.register(composite, sources);
    return composite;
  };
  return installed;
}
