/// Shell syntax in a command line that will run without a shell (Metron's default, unlike
/// hyperfine's): `echo hi >> log` then runs `echo` with the words `hi`, `>>`, `log`. Found before
/// measuring so that the user is told, with the token, instead of measuring the wrong thing.
public enum ShellSyntax {
    /// The first piece of shell syntax outside quotes: a redirection or control operator (`>>`,
    /// `>`, `<`, `|`, `||`, `&&`, `&`, `;`), an expansion (`$VAR`, `$(…)`, backticks — also
    /// inside double quotes, where a shell expands them) or a glob (`*`, `?`, `[`); nil if none.
    public static func firstToken(in command: String) -> String? {
        let characters = Array(command)
        var index = 0
        var inSingle = false, inDouble = false
        while index < characters.count {
            let c = characters[index]
            let next: Character? = index + 1 < characters.count ? characters[index + 1] : nil
            if inSingle {
                if c == "'" { inSingle = false }
            } else if c == "\\" {
                index += 1  // the next character is taken literally
            } else if c == "'" && !inDouble {
                inSingle = true
            } else if c == "\"" {
                inDouble.toggle()
            } else if c == "`" {
                return "`"
            } else if c == "$", let next, next == "(" || next == "{" || next.isLetter || next == "_" {
                return next == "(" ? "$(" : next == "{" ? "${" : "$" + String(characters[(index + 1)...].prefix { $0.isLetter || $0.isNumber || $0 == "_" })
            } else if !inDouble {
                switch c {
                case ">", "<", "|", "&":
                    if let next, next == c { return String([c, next]) }
                    return String(c)
                case ";", "*", "?", "[":
                    return String(c)
                default:
                    break
                }
            }
            index += 1
        }
        return nil
    }
}
