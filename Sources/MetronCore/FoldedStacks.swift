/// A CPU profile as folded stacks (Brendan Gregg's format, which flamegraph tools, speedscope and
/// inferno read): one line per distinct stack, frames root first, joined by `;`, then the number of
/// samples that had it. Plain data: read from `perf script`, written as text, rendered by
/// `FlameGraph`, compared by `FoldedStacks.diff`.
public struct FoldedStacks: Sendable, Equatable {
    /// Samples by stack (frames root first).
    public var counts: [[String]: Int]

    public init(counts: [[String]: Int] = [:]) {
        self.counts = counts
    }

    public var totalSamples: Int { counts.values.reduce(0, +) }

    /// The folded text, stacks sorted so that the same profile always gives the same file.
    public var text: String {
        counts.sorted { $0.key.lexicographicallyPrecedes($1.key) }
            .map { "\($0.key.joined(separator: ";")) \($0.value)\n" }.joined()
    }

    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public var line: Int
        public var reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    /// Reads folded text: `frame;frame;frame COUNT` per line (blank lines skipped).
    public static func parse(folded text: String) throws -> FoldedStacks {
        var profile = FoldedStacks()
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.droppingTrailingSpaces()
            guard !trimmed.isEmpty else { continue }
            guard let space = trimmed.lastIndex(of: " "), let count = Int(trimmed[trimmed.index(after: space)...]), count >= 0 else {
                throw ParseError(line: index + 1, reason: "expected 'frame;frame;… COUNT'")
            }
            let frames = trimmed[..<space].split(separator: ";").map(String.init)
            guard !frames.isEmpty else { throw ParseError(line: index + 1, reason: "a stack without frames") }
            profile.counts[frames, default: 0] += count
        }
        return profile
    }

    /// Folds `perf script` output: each sample is a header line (`comm pid time: period event:`)
    /// followed by its frames, leaf first (`\t addr symbol+0xoff (dso)`), and a blank line. The
    /// process name becomes the root frame; offsets and libraries are dropped; a frame perf could
    /// not name is `[unknown]` with its library, e.g. `[libc.so.6]`. Swift symbols are demangled
    /// before (`swift-demangle` filters the whole text).
    public static func parse(perfScript text: String) -> FoldedStacks {
        var profile = FoldedStacks()
        var process: String?
        var frames: [String] = []
        func finish() {
            if let process { profile.counts[[process] + frames.reversed(), default: 0] += 1 }
            process = nil
            frames = []
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty {
                if process != nil { finish() }
                continue
            }
            if line.first == " " || line.first == "\t" {
                guard process != nil else { continue }
                frames.append(frame(line))
            } else {
                if process != nil { finish() }
                // The command name may contain spaces; the pid follows it.
                let words = line.split(separator: " ", omittingEmptySubsequences: true)
                let pidIndex = words.firstIndex { $0.allSatisfy(\.isNumber) || $0.contains("/") && $0.split(separator: "/").allSatisfy { $0.allSatisfy(\.isNumber) } }
                process = pidIndex.map { words[..<$0].joined(separator: " ") } ?? words.first.map(String.init) ?? "?"
            }
        }
        if process != nil { finish() }
        return profile
    }

    /// "\t    114e hot+0x15 (/tmp/split)" → "hot"; "[unknown] (/usr/lib/libc.so.6)" → "[libc.so.6]".
    static func frame(_ line: Substring) -> String {
        var text = line.drop { $0 == " " || $0 == "\t" }
        // The address.
        if let space = text.firstIndex(of: " ") { text = text[text.index(after: space)...] }
        var library: Substring?
        if text.last == ")", let open = text.lastIndex(of: "(") {
            library = text[text.index(after: open)..<text.index(before: text.endIndex)]
            text = text[..<open].droppingTrailingSpaces()
        }
        // "symbol+0x15": the offset goes (a symbol may itself contain '+', as C++ operators do).
        if let plus = text.lastIndex(of: "+"), text[text.index(after: plus)...].hasPrefix("0x") { text = text[..<plus] }
        if text.isEmpty || text == "[unknown]" {
            guard let library, library != "[unknown]", let file = library.split(separator: "/").last else { return "[unknown]" }
            return "[\(file)]"
        }
        return String(text)
    }

    /// Every distinct frame name (for demangling in one batch).
    public var frameNames: Set<String> { Set(counts.keys.flatMap { $0 }) }

    /// The profile with `rename` applied to every frame.
    public func renamed(_ rename: (String) -> String) -> FoldedStacks {
        var renamed = FoldedStacks()
        for (stack, count) in counts { renamed.counts[stack.map(rename), default: 0] += count }
        return renamed
    }
}

extension FoldedStacks {
    /// One function's share of the samples: `inclusive` — samples with the function anywhere on
    /// the stack (counted once per sample however often it recurs); `exclusive` — samples where
    /// it is the leaf (the "self" time).
    public struct Share: Sendable, Equatable {
        public var frame: String
        public var inclusive: Double
        public var exclusive: Double
    }

    public func share(of frame: String) -> Share {
        let total = Double(max(totalSamples, 1))
        var inclusive = 0, exclusive = 0
        for (stack, count) in counts {
            if stack.contains(frame) { inclusive += count }
            if stack.last == frame { exclusive += count }
        }
        return Share(frame: frame, inclusive: Double(inclusive) / total, exclusive: Double(exclusive) / total)
    }

    /// The frames with the most self time, most first (ties by name).
    public func hottest(_ limit: Int = 5) -> [Share] {
        var exclusive: [String: Int] = [:]
        for (stack, count) in counts { if let leaf = stack.last { exclusive[leaf, default: 0] += count } }
        return exclusive.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(limit).map { share(of: $0.key) }
    }

    /// How each function's inclusive share moved from `baseline` to this profile, largest growth
    /// first: the answer to "what got slower". Shares, not sample counts, so profiles of
    /// different lengths compare.
    public func diff(from baseline: FoldedStacks) -> [(frame: String, baseline: Double, current: Double)] {
        let names = frameNames.union(baseline.frameNames)
        return names.map { (frame: $0, baseline: baseline.share(of: $0).inclusive, current: share(of: $0).inclusive) }
            .sorted { ($0.current - $0.baseline, $1.frame) > ($1.current - $1.baseline, $0.frame) }
    }
}

extension Substring {
    func droppingTrailingSpaces() -> Substring {
        var text = self
        while text.last == " " || text.last == "\t" || text.last == "\r" { text = text.dropLast() }
        return text
    }
}
