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
}

extension BenchmarkResult {
    /// See `BenchmarkKey.of(name:parameters:)`.
    public var key: String { BenchmarkKey.of(name: name, parameters: parameters) }
}
