import Synchronization

/// Service status as `get_status()` reports it (seed 001).
public struct ServiceStatus: Sendable, Equatable {
    public var name: String
    public var healthy: Bool
    public var activeConnections: Int
}

public func status(of registry: ContainerRegistry, service: String) -> ServiceStatus {
    let containers = registry.containers(image: service)
    return ServiceStatus(name: service, healthy: containers.allSatisfy(\.healthy), activeConnections: containers.count * 3)
}

/// What a "safe operation" decorator records about the calls it wraps: counts, errors and total
/// time, shared across threads.
public final class OperationMetrics: Sendable {
    private struct Totals {
        var calls = 0
        var errors = 0
        var nanoseconds: Int64 = 0
    }
    private let totals = Mutex(Totals())

    public init() {}

    public var calls: Int { totals.withLock { $0.calls } }
    public var errors: Int { totals.withLock { $0.errors } }

    func record(nanoseconds: Int64, failed: Bool) {
        totals.withLock {
            $0.calls += 1
            $0.nanoseconds += nanoseconds
            if failed { $0.errors += 1 }
        }
    }
}

/// The decorator: times the call, counts it and its failures (seed 001's `@safe_operation`,
/// whose overhead against the bare call must stay under 100 %).
@inline(__always)
public func instrumented<T>(_ metrics: OperationMetrics, _ operation: () throws -> T) rethrows -> T {
    let start = ContinuousClock.now
    do {
        let value = try operation()
        let elapsed = ContinuousClock.now - start
        metrics.record(nanoseconds: elapsed.components.attoseconds / 1_000_000_000 + elapsed.components.seconds * 1_000_000_000, failed: false)
        return value
    } catch {
        let elapsed = ContinuousClock.now - start
        metrics.record(nanoseconds: elapsed.components.attoseconds / 1_000_000_000 + elapsed.components.seconds * 1_000_000_000, failed: true)
        throw error
    }
}

/// A counter many threads bump at once (seed 001's concurrent status checks).
public final class RequestCounter: Sendable {
    private let value = Mutex(0)

    public init() {}

    public func record() { value.withLock { $0 += 1 } }

    public var total: Int { value.withLock { $0 } }
}
