import Dispatch
import MetronCore

extension ParallelLoop {
    /// Iterations spread over every core by `DispatchQueue.concurrentPerform`: the measuring
    /// commands draw their bootstrap resamples this way (the intervals do not depend on it).
    public static let dispatch = ParallelLoop { count, body in
        withoutActuallyEscaping(body) { body in
            let body = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: count) { body.value($0) }
        }
    }
}

extension ExecSettings {
    /// These settings with the bootstrap drawn on every core.
    var onEveryCore: ExecSettings {
        var settings = self
        settings.bootstrap.loop = .dispatch
        return settings
    }
}

/// The bootstrap's chunks write to disjoint parts of its buffers, which the compiler cannot see.
private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
