/// Consumes a value so the optimiser cannot prove the work that produced it is unused and delete
/// it. The call is opaque (never inlined, never optimised), so passing a value costs a call and
/// nothing else; the value is not copied anywhere.
@inline(never) @_optimize(none)
public func blackHole<T>(_ value: T) {}

/// Returns its argument through an opaque call, so the optimiser cannot constant-fold an input
/// it would otherwise know at compile time (`identity(1000)` is not a literal to it).
@inline(never) @_optimize(none)
public func identity<T>(_ value: T) -> T { value }
