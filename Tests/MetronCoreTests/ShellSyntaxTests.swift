import Testing
@testable import MetronCore

struct ShellSyntaxTests {
    @Test(arguments: [
        ("echo hi >> log", ">>"), ("sort < in", "<"), ("a | b", "|"), ("a && b", "&&"), ("a || b", "||"),
        ("a; b", ";"), ("echo $HOME", "$HOME"), ("echo $(date)", "$("), ("echo `date`", "`"),
        ("ls *.log", "*"), ("echo \"$USER\"", "$USER"), ("make > out 2>&1", ">"), ("sleep 1 &", "&"),
    ])
    func shellSyntaxIsFound(command: String, token: String) {
        #expect(ShellSyntax.firstToken(in: command) == token)
    }

    @Test(arguments: ["gzip -9 -c file", "echo '>> not a redirection'", "grep \"a|b\" file", "echo \\*", "echo $", "printf '%s' '$HOME'"])
    func quotedOrPlainCommandsAreLeftAlone(command: String) {
        #expect(ShellSyntax.firstToken(in: command) == nil)
    }
}
