import Testing
@testable import MetronCore

/// Profiles as Metron reads them: `perf script` output folded into stacks, shares and diffs of
/// those, and massif's peak heap.
struct ProfileParsingTests {
    // Samples as perf 6.1 `perf script` printed them for a C program and a Swift one (demangled).
    static let perfScript = """
        split2  8705  2202.102899:    1001001 cpu-clock: 
        \t            118c hot+0xc (/tmp/split2)
        \t           2724a __libc_start_call_main+0x7a (/usr/lib/x86_64-linux-gnu/libc.so.6)

        split2  8705  2202.103914:    1001001 cpu-clock: 
        \t            118c hot+0xc (/tmp/split2)
        \t           2724a __libc_start_call_main+0x7a (/usr/lib/x86_64-linux-gnu/libc.so.6)

        split2  8705  2202.358238:    1001001 cpu-clock: 
        \t            11cc cold+0xc (/tmp/split2)
        \t           2724a __libc_start_call_main+0x7a (/usr/lib/x86_64-linux-gnu/libc.so.6)

        metron-workload 8710 [001]  2203.1:    1001001 cpu-clock: 
        \t    55d1 specialized IndexingIterator.next()+0x21 (/work/metron-workload)
        \t    5100 metron_workload_main+0x1a0 (/work/metron-workload)
        \t    7f00 [unknown] (/usr/lib/x86_64-linux-gnu/libc.so.6)
        \t    7f01 [unknown] ([unknown])

        """

    @Test func perfSamplesFoldIntoStacksRootFirst() throws {
        let profile = FoldedStacks.parse(perfScript: Self.perfScript)
        #expect(profile.totalSamples == 4)
        #expect(profile.counts[["split2", "__libc_start_call_main", "hot"]] == 2)
        #expect(profile.counts[["split2", "__libc_start_call_main", "cold"]] == 1)
        #expect(profile.counts[["metron-workload", "[unknown]", "[libc.so.6]", "metron_workload_main", "specialized IndexingIterator.next()"]] == 1)
        // The folded text reads back the same.
        #expect(try FoldedStacks.parse(folded: profile.text) == profile)
        #expect(profile.text.contains("split2;__libc_start_call_main;hot 2\n"))
    }

    @Test func sharesHottestFramesAndDiffs() throws {
        let before = try FoldedStacks.parse(folded: "app;main;hot 70\napp;main;cold 30\n")
        let after = try FoldedStacks.parse(folded: "app;main;hot 70\napp;main;cold 60\napp;main;cold;helper 0\n")
        #expect(before.share(of: "hot").exclusive == 0.7 && before.share(of: "main").inclusive == 1 && before.share(of: "main").exclusive == 0)
        #expect(before.hottest(1).map(\.frame) == ["hot"])
        let moves = after.diff(from: before)
        #expect(moves.first?.frame == "cold" && moves.last?.frame == "hot", "\(moves)")
        #expect(abs(moves.first!.current - 60.0 / 130) < 1e-9 && abs(moves.first!.baseline - 0.3) < 1e-9)
        // Recursion counts a sample once.
        let recursive = try FoldedStacks.parse(folded: "a;f;f;f 10\na;g 10\n")
        #expect(recursive.share(of: "f").inclusive == 0.5)
    }

    // callgrind 3.19 with --separate-callers (abridged from a run of a C program): contexts named
    // leaf'caller'…, a call's inclusive cost after calls=, the second file's names compressed.
    static let callgrind = """
        # callgrind format
        version: 1
        creator: callgrind-3.19.0
        cmd:  /tmp/split 100000
        positions: line
        events: Ir
        summary: 120122431

        ob=/tmp/split
        fl=???
        fn=main'(below main)'__libc_start_main@@GLIBC_2.34'0x000000000001ab70
        0 7
        cfn=hot'main'(below main)'__libc_start_main@@GLIBC_2.34'0x000000000001ab70
        calls=1 0
        0 84000010
        0 2

        fn=work'hot'main'(below main)'__libc_start_main@@GLIBC_2.34'0x000000000001ab70
        0 84000006
        +2 4

        ob=/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
        fn=0x000000000001ab70
        0 11
        """

    @Test func callgrindContextsFoldIntoStacksByInstructions() throws {
        let profile = try FoldedStacks.parse(callgrind: Self.callgrind)
        let chain = ["split", "[unknown]", "__libc_start_main", "(below main)", "main"]
        #expect(profile.counts[chain] == 9, "self cost of main: the call's 84000010 is not its own")
        #expect(profile.counts[chain + ["hot", "work"]] == 84_000_010)
        #expect(profile.counts[["split", "[ld-linux-x86-64.so.2]"]] == 11, "an unnamed leaf is named by its library")
        #expect(profile.totalSamples == 84_000_030)
        // Compressed names read as the plain ones, and two files merge by stack.
        let compressed = """
            cmd: split
            events: Ir
            ob=(1) /tmp/split
            fn=(4) work'hot'main
            0 10
            fn=(5) hot'main
            cfn=(4)
            calls=1 0
            0 10
            fn=(4)
            0 5
            """
        let parsed = try FoldedStacks.parse(callgrind: compressed)
        #expect(parsed.counts == [["split", "main", "hot", "work"]: 15])
        #expect(throws: FoldedStacks.ParseError(line: 3, reason: "compressed name (9) used before it is defined")) {
            try FoldedStacks.parse(callgrind: "events: Ir\nob=/a\nfn=(9)\n0 1\n")
        }
        #expect(throws: FoldedStacks.ParseError(line: 3, reason: "a cost line before any fn= line")) {
            try FoldedStacks.parse(callgrind: "events: Ir\nob=/a\n0 1\n")
        }
        #expect(throws: FoldedStacks.ParseError.self) { try FoldedStacks.parse(callgrind: "fn=a\n0 1\n") }
    }

    @Test func badFoldedTextNamesTheLine() {
        #expect(throws: FoldedStacks.ParseError(line: 2, reason: "expected 'frame;frame;… COUNT'")) {
            try FoldedStacks.parse(folded: "a;b 1\na;b many\n")
        }
        #expect(throws: FoldedStacks.ParseError.self) { try FoldedStacks.parse(folded: "\n;; 3\n") }
    }

    // The peak snapshot of massif 3.19's output for a program holding 3 MiB from big() and
    // 100 × 10,000 bytes from small().
    static let massif = """
        desc: (none)
        cmd: /tmp/heap
        time_unit: i
        #-----------
        snapshot=51
        #-----------
        time=4288165
        mem_heap_B=4145728
        mem_heap_extra_B=808
        mem_stacks_B=0
        heap_tree=peak
        n3: 4145728 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
         n1: 3145728 0x109166: big (heap.c:3)
          n0: 3145728 0x1091B9: main (heap.c:6)
         n1: 1000000 0x10918B: small (heap.c:4)
          n0: 1000000 0x1091D4: main (heap.c:8)
         n0: 0 in 2 places, all below massif's threshold (1.00%)
        #-----------
        snapshot=52
        #-----------
        time=4300000
        mem_heap_B=0
        mem_heap_extra_B=0
        mem_stacks_B=0
        heap_tree=empty
        """

    @Test func massifPeakAndItsSites() throws {
        let heap = try HeapProfile.parse(massif: Self.massif)
        #expect(heap.peakBytes == 4_145_728 && heap.extraBytes == 808)
        #expect(heap.sites.map(\.location) == ["big (heap.c:3)", "small (heap.c:4)", "in 2 places, all below massif's threshold (1.00%)"])
        #expect(heap.sites.first?.calledFrom == "main (heap.c:6)" && heap.sites.first?.bytes == 3_145_728)
        let empty = try HeapProfile.parse(massif: "cmd: true\nsnapshot=0\nmem_heap_B=0\nheap_tree=empty\n")
        #expect(empty.peakBytes == 0 && empty.sites.isEmpty)
        #expect(throws: HeapProfile.ParseError.self) { try HeapProfile.parse(massif: "{\"not\": \"massif\"}") }
    }

    @Test func controlCharactersNeverReachATerminal() {
        #expect(Formatting.printable("bench\u{1B}[2J\u{1B}]0;owned\u{07}") == "bench\u{FFFD}[2J\u{FFFD}]0;owned\u{FFFD}")
        #expect(Formatting.printable("sort/1000 [n=5] ✅") == "sort/1000 [n=5] ✅")
        #expect(Formatting.printable("a\u{9B}b") == "a\u{FFFD}b")
    }
}
