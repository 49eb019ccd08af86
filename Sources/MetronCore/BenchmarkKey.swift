/// How one benchmark instance is named across runs: its name plus its parameters, the key
/// comparisons, histories and reports match results by.
public enum BenchmarkKey {
    /// "sort [n=10, mode=fast]", or just the name without parameters.
    public static func of(name: String, parameters: [Parameter]) -> String {
        name + label(parameters)
    }

    /// " [n=10, mode=fast]", or "" without parameters.
    public static func label(_ parameters: [Parameter]) -> String {
        parameters.isEmpty ? "" : " [" + parameters.map { "\($0.name)=\($0.value)" }.joined(separator: ", ") + "]"
    }

    /// A key back as its name and parameters ("sort [n=10, mode=fast]" → sort, n=10, mode=fast),
    /// for formats that keep only the key (BMF). A key without a well-formed label is all name.
    public static func parse(_ key: String) -> (name: String, parameters: [Parameter]) {
        let characters = Array(key)
        guard characters.last == "]",
              let bracket = characters.indices.dropFirst().last(where: { characters[$0] == "[" && characters[$0 - 1] == " " })
        else { return (key, []) }
        let inner = String(characters[(bracket + 1)..<(characters.count - 1)])
        var parameters: [Parameter] = []
        for pair in inner.split(separator: ",").map({ $0.drop { $0 == " " } }) {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else { return (key, []) }
            parameters.append(Parameter(name: String(pair[..<equals]), value: String(pair[pair.index(after: equals)...])))
        }
        return parameters.isEmpty ? (key, []) : (String(characters[..<(bracket - 1)]), parameters)
    }
}

extension BenchmarkResult {
    /// See `BenchmarkKey.of(name:parameters:)`.
    public var key: String { BenchmarkKey.of(name: name, parameters: parameters) }
}
