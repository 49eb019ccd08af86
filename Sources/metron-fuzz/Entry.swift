import Foundation

#if METRON_FUZZER
// Built by scripts/fuzz.sh with --sanitize=fuzzer: libFuzzer's main calls this for every input;
// METRON_FUZZ_TARGET names the target. A broken promise stops the fuzzer with the input saved.
nonisolated(unsafe) private var target: String?

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    if target == nil { target = ProcessInfo.processInfo.environment["METRON_FUZZ_TARGET"] ?? "suite" }
    do {
        try FuzzTargets.run(target!, Data(bytes: bytes, count: count))
    } catch {
        fatalError("\(error)")
    }
    return 0
}
#else
/// Without the fuzzer: `metron-fuzz TARGET FILE...` runs saved inputs (the seed corpus, the
/// regressions) through a target, as the test suite does; exit 1 when one breaks a promise.
@main
struct Replay {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        guard let target = arguments.first, FuzzTargets.names.contains(target) else {
            FileHandle.standardError.write(Data("usage: metron-fuzz \(FuzzTargets.names.joined(separator: "|")) FILE...\n".utf8))
            exit(2)
        }
        var broken = 0
        for file in arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: file) else {
                FileHandle.standardError.write(Data("cannot read \(file)\n".utf8))
                exit(2)
            }
            do {
                try FuzzTargets.run(target, data)
            } catch {
                broken += 1
                print("\(file): \(error)")
            }
        }
        print("\(arguments.count - 1) inputs, \(broken) broken")
        exit(broken == 0 ? 0 : 1)
    }
}
#endif
