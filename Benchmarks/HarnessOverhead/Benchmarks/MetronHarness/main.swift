import Metron

// The harness's own cost per iteration: what an empty body measures is all overhead.
let benchmarks = Benchmarks { b in
    b.add("empty") { state in
        state.measure {}
    }
    b.add("tiny") { state in
        let one = identity(1)
        state.measure { blackHole(one &+ 1) }
    }
}
await benchmarks.main()
