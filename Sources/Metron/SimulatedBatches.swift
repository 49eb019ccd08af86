import CMetronProbe

/// The batches of a body counted under callgrind (`--valgrind`): one uncounted warm-up batch of
/// `iterations` (lazy set-up, first-touch faults), then two counted batches of `iterations` and
/// of twice that, each written to its own dump. The second dump less the first is the count of
/// `iterations` iterations of the body alone: what a batch costs apart from its iterations (the
/// calls around it) cancels. Nothing reads a clock here.
final class SimulatedBatches {
    let iterations: Int
    private(set) var handedOut = 0

    init(iterations: Int) {
        self.iterations = max(iterations, 1)
    }

    /// The size of the next batch, or nil after the third.
    func next() -> Int? {
        guard handedOut < 3 else { return nil }
        handedOut += 1
        return handedOut == 3 ? 2 * iterations : iterations
    }

    /// The batch handed out last is counted (the second or the third).
    var counting: Bool { handedOut >= 2 }

    /// All three batches ran.
    var finished: Bool { handedOut == 3 }

    func start() {
        if counting { metron_simulation_collect() }
    }

    func stop() {
        guard counting else { return }
        metron_simulation_collect()
        metron_simulation_dump()
    }
}
