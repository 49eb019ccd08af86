/// ArgumentParser has no options with a fixed number of values, but `--parameter-scan NAME LO HI`
/// and `--parameter-list NAME VALUES` (hyperfine's syntax) need them. Before parsing, each such
/// option's values are joined into one argument with a unit separator, so what follows them is
/// parsed as usual (commands stay commands). `--ignore-failure=MODE` becomes the hidden
/// `--ignore-failure-mode MODE`, since a flag cannot take an optional value.
public enum ArgumentPreprocessor {
    static let separator: Character = "\u{1F}"

    /// A switch, not a dictionary: this runs on every invocation, before anything else, and the
    /// dictionary's first use had the Swift runtime look up its generic conformances (a scan of
    /// the binary's conformance records each).
    static func arity(of option: String) -> Int? {
        switch option {
        case "-P", "--parameter-scan": 3
        case "-L", "--parameter-list": 2
        default: nil
        }
    }

    public static func join(_ arguments: [String]) -> [String] {
        var result: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" {
                result += arguments[index...]
                break
            }
            // hyperfine's `--ignore-failure=MODE` (an optional value, which ArgumentParser has not).
            if let spelling = ["--ignore-failure=", "-i="].first(where: argument.hasPrefix) {
                result += ["--ignore-failure-mode", String(argument.dropFirst(spelling.count))]
                index += 1
                continue
            }
            if let arity = arity(of: argument) {
                let values = arguments[(index + 1)..<min(arguments.count, index + 1 + arity)]
                    .prefix { !$0.hasPrefix("-") || Double($0) != nil }
                result.append(argument)
                if !values.isEmpty { result.append(values.joined(separator: String(separator))) }
                index += 1 + values.count
                continue
            }
            // `--runs -5`: ArgumentParser would take "-5" for an option and say the value is
            // missing; joined, the value reaches the option's own check ("must be positive").
            if argument.hasPrefix("--"), !argument.contains("="), index + 1 < arguments.count,
               arguments[index + 1].hasPrefix("-"), arguments[index + 1].count > 1, Double(arguments[index + 1]) != nil {
                result.append(argument + "=" + arguments[index + 1])
                index += 2
                continue
            }
            result.append(argument)
            index += 1
        }
        return result
    }

    public static func split(_ joined: String) -> [String] {
        joined.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
    }
}
