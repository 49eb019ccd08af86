import MetronExec
import Testing

/// hyperfine's options with a fixed number of values, joined before ArgumentParser sees them.
struct ArgumentPreprocessorTests {
    let unit = "\u{1F}"

    @Test func scanAndListValuesBecomeOneArgument() {
        #expect(ArgumentPreprocessor.join(["exec", "-P", "n", "1", "5", "sleep {n}"])
                == ["exec", "-P", "n\(unit)1\(unit)5", "sleep {n}"])
        #expect(ArgumentPreprocessor.join(["--parameter-list", "mode", "a,b", "--runs", "3", "x {mode}"])
                == ["--parameter-list", "mode\(unit)a,b", "--runs", "3", "x {mode}"])
        #expect(ArgumentPreprocessor.split("n\(unit)1\(unit)5") == ["n", "1", "5"])
    }

    @Test func negativeNumbersAreValuesAndOptionsAreNot() {
        #expect(ArgumentPreprocessor.join(["-P", "t", "-5", "-1", "cmd"]) == ["-P", "t\(unit)-5\(unit)-1", "cmd"])
        // Too few values before the next option: what is there is joined, the option stays an option.
        #expect(ArgumentPreprocessor.join(["-P", "n", "--runs", "3"]) == ["-P", "n", "--runs", "3"])
        #expect(ArgumentPreprocessor.join(["-L"]) == ["-L"])
    }

    @Test func aNegativeValueStaysWithItsOption() {
        // So `--runs -5` is refused as a negative count, not as a missing value.
        #expect(ArgumentPreprocessor.join(["exec", "--runs", "-5", "true"]) == ["exec", "--runs=-5", "true"])
        #expect(ArgumentPreprocessor.join(["trend", "--threshold", "-0.5"]) == ["trend", "--threshold=-0.5"])
        #expect(ArgumentPreprocessor.join(["exec", "--runs", "-x"]) == ["exec", "--runs", "-x"])
        #expect(ArgumentPreprocessor.join(["exec", "--runs=3", "-5"]) == ["exec", "--runs=3", "-5"])
    }

    @Test func everythingAfterDoubleDashIsLeftAlone() {
        #expect(ArgumentPreprocessor.join(["exec", "--", "-P", "n", "1", "2"]) == ["exec", "--", "-P", "n", "1", "2"])
    }
}
