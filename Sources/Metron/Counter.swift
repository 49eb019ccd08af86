import Synchronization

/// A custom count reported with the results (cache hits, retries, bytes parsed…). Obtain one
/// from `state.counter("hits")` before measuring and increment it inside the measured body; the
/// harness zeroes it before every sample and reports it per iteration. Atomic, so concurrent
/// bodies may share one.
public final class Counter: Sendable {
    public let name: String
    @usableFromInline let storage = Atomic<Int>(0)

    init(name: String) { self.name = name }

    @inlinable @inline(__always)
    public func increment() { add(1) }

    @inlinable @inline(__always)
    public func increment(by amount: Int) { add(amount) }

    @inlinable @inline(__always)
    func add(_ amount: Int) { storage.add(amount, ordering: .relaxed) }

    public var value: Int { storage.load(ordering: .relaxed) }

    func reset() { storage.store(0, ordering: .relaxed) }
}

/// A ratio of counters reported as a percentage (hits / (hits + misses)).
struct CounterRatio {
    var id: String
    var numerator: Counter
    var denominator: [Counter]
}
