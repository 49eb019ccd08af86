/// The peak of a heap profile (Valgrind's massif): the heap in use at its largest and the
/// allocation sites that held it, largest first.
public struct HeapProfile: Sendable, Equatable {
    public struct Site: Sendable, Equatable {
        /// The allocating function with its file and line, as massif names it.
        public var location: String
        /// Its first caller, when massif recorded one.
        public var calledFrom: String?
        public var bytes: Int64
    }

    /// Heap bytes in use at the peak (what the program asked for, not allocator overhead).
    public var peakBytes: Int64
    /// Allocator overhead at the peak (massif's `mem_heap_extra_B`).
    public var extraBytes: Int64
    public var sites: [Site]

    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    /// Reads a massif output file (`massif.out.PID`): the snapshot marked `heap_tree=peak`, its
    /// totals and the direct children of its allocation tree. Sites massif folded below its
    /// threshold ("in 3 places, all below massif's threshold") are one site.
    public static func parse(massif text: String) throws -> HeapProfile {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let peak = lines.firstIndex(where: { $0 == "heap_tree=peak" }) else {
            // A program that never allocated has snapshots of an empty heap and no peak.
            guard lines.contains(where: { $0.hasPrefix("snapshot=") }) else {
                throw ParseError(description: "no snapshots: not a massif output file")
            }
            let largest = lines.compactMap { $0.hasPrefix("mem_heap_B=") ? Int64($0.dropFirst("mem_heap_B=".count)) : nil }.max() ?? 0
            return HeapProfile(peakBytes: largest, extraBytes: 0, sites: [])
        }
        var heap: Int64?, extra: Int64 = 0
        var index = peak - 1
        while index >= 0, !lines[index].hasPrefix("snapshot=") {
            if lines[index].hasPrefix("mem_heap_B=") { heap = Int64(lines[index].dropFirst("mem_heap_B=".count)) }
            if lines[index].hasPrefix("mem_heap_extra_B=") { extra = Int64(lines[index].dropFirst("mem_heap_extra_B=".count)) ?? 0 }
            index -= 1
        }
        guard let heap else { throw ParseError(description: "the peak snapshot has no mem_heap_B") }
        var sites: [Site] = []
        var cursor = peak + 2 // past the root line
        while cursor < lines.count, lines[cursor].hasPrefix(" ") {
            let line = lines[cursor]
            let depth = line.prefix { $0 == " " }.count
            if depth == 1, let node = node(line) {
                var caller: String?
                if cursor + 1 < lines.count, lines[cursor + 1].prefix(while: { $0 == " " }).count == 2 {
                    caller = self.node(lines[cursor + 1])?.location
                }
                sites.append(Site(location: node.location, calledFrom: caller, bytes: node.bytes))
            }
            cursor += 1
        }
        sites.sort { $0.bytes != $1.bytes ? $0.bytes > $1.bytes : $0.location < $1.location }
        return HeapProfile(peakBytes: heap, extraBytes: extra, sites: sites)
    }

    /// " n1: 3145728 0x109166: big (heap.c:3)" → (3145728, "big (heap.c:3)").
    static func node(_ line: Substring) -> (bytes: Int64, location: String)? {
        let text = line.drop { $0 == " " }
        guard text.first == "n", let colon = text.firstIndex(of: ":") else { return nil }
        let rest = text[text.index(after: colon)...].drop { $0 == " " }
        guard let space = rest.firstIndex(of: " "), let bytes = Int64(rest[..<space]) else { return nil }
        var location = rest[rest.index(after: space)...]
        if location.hasPrefix("0x"), let end = location.firstIndex(of: ":") { location = location[location.index(after: end)...].drop { $0 == " " } }
        return (bytes, String(location))
    }
}
