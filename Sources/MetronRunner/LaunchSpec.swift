import CMetronSys
import MetronCore
#if canImport(Glibc)
import Glibc
#endif

/// A fully resolved process to launch.
public struct LaunchSpec: Sendable, Equatable {
    /// argv, argv[0] included.
    public var arguments: [String]
    /// Absolute or relative path of the executable, already resolved through PATH.
    public var executablePath: String
    public var output: OutputDisposition
    /// Variables set on top of Metron's own environment.
    public var environment: [String: String]
    /// The working directory the process starts in; nil for Metron's own. A relative
    /// `executablePath` is relative to it.
    public var directory: String?
    /// The file the process reads as standard input; nil for /dev/null (hyperfine's default).
    public var input: String?
    /// Events counted for the whole tree of every run (at most METRON_MAX_COUNTERS); none by
    /// default. Where the machine cannot count them the runs go on and say why
    /// (`ProcessOutcome.counterError`).
    public var counters: [PerfCounter]

    public init(arguments: [String], executablePath: String, output: OutputDisposition = .discard,
                environment: [String: String] = [:], directory: String? = nil, input: String? = nil,
                counters: [PerfCounter] = []) {
        self.arguments = arguments
        self.executablePath = executablePath
        self.output = output
        self.environment = environment
        self.directory = directory
        self.input = input
        self.counters = Array(counters.prefix(Int(METRON_MAX_COUNTERS)))
    }
}

/// A LaunchSpec encoded once as the fork server's request strings (metron_spawner_protocol.h):
/// the environment merged, path, argv and environment NUL-terminated, so that repeated requests
/// do no string conversion.
public final class PreparedLaunch: @unchecked Sendable {
    public let spec: LaunchSpec
    let forkServerStrings: [UInt8]
    let forkServerArgc: UInt32
    let forkServerEnvc: UInt32

    public init(_ spec: LaunchSpec) {
        self.spec = spec
        var variables: [String] = []
        var overridden = Set(spec.environment.keys)
        var cursor = environ
        while let entry = cursor.pointee {
            let text = String(cString: entry)
            let name = text.split(separator: "=", maxSplits: 1).first.map(String.init) ?? text
            if let value = spec.environment[name] {
                variables.append("\(name)=\(value)")
                overridden.remove(name)
            } else {
                variables.append(text)
            }
            cursor += 1
        }
        for name in overridden.sorted() { variables.append("\(name)=\(spec.environment[name]!)") }
        forkServerStrings = ForkServer.encodeStrings(path: spec.executablePath, arguments: spec.arguments,
                                                     environment: variables, directory: spec.directory,
                                                     input: spec.input, outputFile: spec.output.file)
        forkServerArgc = UInt32(spec.arguments.count)
        forkServerEnvc = UInt32(variables.count)
    }
}
