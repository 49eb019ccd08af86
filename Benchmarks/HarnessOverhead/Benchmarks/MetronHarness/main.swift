import Metron

/// The same opaque sink in both harnesses, so "tiny" differs only by the harness.
@inline(never) func sink(_ value: Int) { _ = value }

// The harness's own cost per iteration: what an empty body measures is all overhead.
let benchmarks = Benchmarks { b in
    b.add("empty") { state in
        state.measure {}
    }
    b.add("tiny") { state in
        let one = identity(1)
        state.measure { sink(one &+ 1) }
    }
    b.add("blackhole") { state in
        let one = identity(1)
        state.measure { blackHole(one &+ 1) }
    }
}
benchmarks.main()
