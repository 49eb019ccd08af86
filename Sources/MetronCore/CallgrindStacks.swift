/// Folds a callgrind profile into stacks. Run with `--separate-callers=N`, callgrind keeps each
/// function apart per chain of up to N callers and names it `leaf'caller'caller's caller'…`, so
/// the self cost (first event, instructions) of every such context is the weight of one stack,
/// exact rather than sampled. Chains deeper than N lose their outermost frames.
extension FoldedStacks {
    /// Reads callgrind's output format (version 1): `cmd:` names the root frame (the program, as
    /// perf's process name does), `fn=` starts a function context, cost lines after it are its
    /// self cost, the cost line after `calls=` is a call's inclusive cost and is not self cost.
    /// Compressed names (`fn=(12) name`, then `fn=(12)`) are read too. An unnamed frame
    /// (`0x00000000001ab70`) becomes `[library]` as a leaf and `[unknown]` above it.
    public static func parse(callgrind text: String) throws -> FoldedStacks {
        var profile = FoldedStacks()
        var root = "?"
        var positions = 1
        var sawEvents = false
        var names: [String: [String: String]] = [:]   // compressed names, by kind (fn, ob, fl)
        var object = ""
        var context: [String]?
        var skipNextCost = false
        func expand(_ kind: String, _ value: Substring, line: Int) throws -> String {
            let value = value.drop { $0 == " " }
            guard value.first == "(" else { return String(value) }
            guard let close = value.firstIndex(of: ")") else { throw ParseError(line: line, reason: "unclosed '(' in a compressed name") }
            let id = String(value[value.index(after: value.startIndex)..<close])
            let name = value[value.index(after: close)...].drop { $0 == " " }
            if !name.isEmpty {
                names[kind, default: [:]][id] = String(name)
                return String(name)
            }
            guard let known = names[kind]?[id] else { throw ParseError(line: line, reason: "compressed name (\(id)) used before it is defined") }
            return known
        }
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.droppingTrailingSpaces()
            let number = index + 1
            guard let first = line.first else { continue }
            if first.isNumber || first == "+" || first == "-" || first == "*" {
                if skipNextCost {
                    skipNextCost = false
                    continue
                }
                guard let context else { throw ParseError(line: number, reason: "a cost line before any fn= line") }
                let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                guard fields.count > positions else { continue }   // a position without costs costs nothing
                guard let cost = Int(fields[positions]), cost >= 0 else {
                    throw ParseError(line: number, reason: "expected a whole cost after \(positions) position\(positions == 1 ? "" : "s"), got '\(fields[positions])'")
                }
                if cost > 0 { profile.counts[context, default: 0] += cost }
                continue
            }
            guard let equals = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else { continue }
            let key = line[..<equals]
            let value = line[line.index(after: equals)...]
            switch key {
            case "cmd":
                let program = value.split(separator: " ").first.map { String($0.split(separator: "/").last ?? $0) }
                root = program ?? "?"
            case "positions":
                positions = max(value.split(separator: " ").count, 1)
            case "events":
                sawEvents = true
            case "ob":
                object = try expand("ob", value, line: number)
            case "fn":
                let name = try expand("fn", value, line: number)
                let library = object.split(separator: "/").last.map(String.init)
                let frames = name.split(separator: "'", omittingEmptySubsequences: false).enumerated().map { depth, frame in
                    Self.callgrindFrame(frame, leaf: depth == 0, library: library)
                }
                context = [root] + frames.reversed()
                skipNextCost = false
            case "cob", "cfi", "cfl", "fl", "fi", "fe":
                _ = try expand(key == "cob" ? "ob" : "fl", value, line: number)
            case "cfn":
                _ = try expand("fn", value, line: number)
            case "calls":
                skipNextCost = true
            default:
                continue
            }
        }
        guard sawEvents else { throw ParseError(line: 1, reason: "no events: line (not a callgrind output file)") }
        return profile
    }

    /// "0x000000000001ab70" → "[libc.so.6]" as the leaf (the library is known), "[unknown]" above
    /// it; "__libc_start_main@@GLIBC_2.34" → "__libc_start_main".
    static func callgrindFrame(_ frame: Substring, leaf: Bool, library: String?) -> String {
        if frame.hasPrefix("0x"), frame.dropFirst(2).allSatisfy(\.isHexDigit) {
            return leaf ? library.map { "[\($0)]" } ?? "[unknown]" : "[unknown]"
        }
        if let version = frame.range(of: "@@") { return String(frame[..<version.lowerBound]) }
        return frame.isEmpty ? "[unknown]" : String(frame)
    }
}
