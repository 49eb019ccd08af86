/// Splits a command line into arguments the way a POSIX shell would for a simple command, without
/// running a shell: whitespace separates words, single quotes are literal, double quotes allow
/// backslash escapes of `"`, `\`, `$` and `` ` ``, and an unquoted backslash escapes any character.
/// Used for `--shell none`, so that `metron exec 'grep -c "a b" file'` benchmarks grep itself.
public enum CommandLineWords {
    public enum SplitError: Error, Equatable, CustomStringConvertible {
        case unterminatedQuote(Character)
        case trailingBackslash
        case empty

        public var description: String {
            switch self {
            case .unterminatedQuote(let quote): return "unterminated \(quote) quote"
            case .trailingBackslash: return "trailing backslash"
            case .empty: return "empty command"
            }
        }
    }

    public static func split(_ line: String) throws -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var iterator = line.makeIterator()
        while let char = iterator.next() {
            switch char {
            case " ", "\t", "\n":
                if inWord {
                    words.append(current)
                    current = ""
                    inWord = false
                }
            case "'":
                inWord = true
                var closed = false
                while let next = iterator.next() {
                    if next == "'" { closed = true; break }
                    current.append(next)
                }
                if !closed { throw SplitError.unterminatedQuote("'") }
            case "\"":
                inWord = true
                var closed = false
                while let next = iterator.next() {
                    if next == "\"" { closed = true; break }
                    if next == "\\" {
                        guard let escaped = iterator.next() else { break }
                        if !"\"\\$`".contains(escaped) { current.append("\\") }
                        current.append(escaped)
                    } else {
                        current.append(next)
                    }
                }
                if !closed { throw SplitError.unterminatedQuote("\"") }
            case "\\":
                guard let escaped = iterator.next() else { throw SplitError.trailingBackslash }
                inWord = true
                current.append(escaped)
            default:
                inWord = true
                current.append(char)
            }
        }
        if inWord { words.append(current) }
        if words.isEmpty { throw SplitError.empty }
        return words
    }
}
