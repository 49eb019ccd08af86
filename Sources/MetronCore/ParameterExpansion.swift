/// Expands `{NAME}` placeholders over parameter scans and lists into concrete commands: the
/// cartesian product of every parameter's values, in declaration order.
public enum ParameterExpansion {
    public struct Axis: Sendable, Equatable {
        public var name: String
        public var values: [String]
        public init(name: String, values: [String]) {
            self.name = name
            self.values = values
        }
    }

    public enum ExpansionError: Error, Equatable, CustomStringConvertible {
        case emptyStep
        case reversedRange(String)
        case tooManyValues(String, Int)
        case emptyList(String)
        case duplicateName(String)
        case invalidName(String)

        public var description: String {
            switch self {
            case .emptyStep: return "--step must be a positive number"
            case .reversedRange(let name): return "parameter '\(name)': the lower bound is above the upper bound"
            case .tooManyValues(let name, let count): return "parameter '\(name)' would take \(count) values (at most 100,000)"
            case .emptyList(let name): return "parameter '\(name)' has an empty list of values"
            case .duplicateName(let name): return "parameter '\(name)' is defined twice"
            case .invalidName(let name): return "'\(name)' is not a valid parameter name (letters, digits, _ and -)"
            }
        }
    }

    /// LO, LO+STEP, … up to HI inclusive (with a tolerance of 1e-9 steps for decimal steps).
    /// Integers print without a decimal point; decimals with the step's number of decimals.
    public static func scan(name: String, lower: Double, upper: Double, step: Double = 1) throws -> Axis {
        try checkName(name)
        guard step > 0, step.isFinite else { throw ExpansionError.emptyStep }
        guard lower <= upper else { throw ExpansionError.reversedRange(name) }
        let count = Int(((upper - lower) / step + 1e-9).rounded(.down)) + 1
        guard count <= 100_000 else { throw ExpansionError.tooManyValues(name, count) }
        let decimals = [lower, step].map(decimalPlaces).max() ?? 0
        let values = (0..<count).map { index in
            Formatting.fixed(lower + Double(index) * step, digits: decimals)
        }
        return Axis(name: name, values: values)
    }

    public static func list(name: String, commaSeparated text: String) throws -> Axis {
        try checkName(name)
        let values = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard !text.isEmpty, !values.isEmpty else { throw ExpansionError.emptyList(name) }
        return Axis(name: name, values: values)
    }

    /// Every combination of the axes' values, each as ordered parameters; the first axis varies
    /// fastest.
    public static func combinations(_ axes: [Axis]) throws -> [[Parameter]] {
        var names = Set<String>()
        for axis in axes where !names.insert(axis.name).inserted { throw ExpansionError.duplicateName(axis.name) }
        // The first axis varies fastest, as with hyperfine's repeated --parameter-list.
        var result: [[Parameter]] = [[]]
        for axis in axes {
            result = axis.values.flatMap { value in result.map { $0 + [Parameter(name: axis.name, value: value)] } }
        }
        return result
    }

    /// Replaces every `{NAME}` of the given parameters in `template`.
    public static func substitute(_ template: String, _ parameters: [Parameter]) -> String {
        var text = template
        for parameter in parameters {
            text = text.replacingAll("{\(parameter.name)}", with: parameter.value)
        }
        return text
    }

    static func checkName(_ name: String) throws {
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
            throw ExpansionError.invalidName(name)
        }
    }

    static func decimalPlaces(_ value: Double) -> Int {
        var scaled = abs(value)
        var places = 0
        while places < 9 && abs(scaled - scaled.rounded()) > 1e-9 * max(1, scaled) {
            scaled *= 10
            places += 1
        }
        return places
    }
}

extension String {
    /// Every occurrence of `target` replaced (the standard library has no such method without Foundation).
    public func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.range(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}

extension Substring {
    /// First occurrence of `target` (standard library only; no Foundation in MetronCore).
    func range(of target: String) -> Range<Index>? {
        let needle = Array(target)
        guard !needle.isEmpty else { return nil }
        var index = startIndex
        while index < endIndex {
            if self[index] == needle[0] {
                var probe = index
                var matched = 0
                while matched < needle.count, probe < endIndex, self[probe] == needle[matched] {
                    probe = self.index(after: probe)
                    matched += 1
                }
                if matched == needle.count { return index..<probe }
            }
            index = self.index(after: index)
        }
        return nil
    }
}
