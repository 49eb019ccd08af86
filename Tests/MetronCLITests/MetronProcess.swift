import Foundation
import MetronCore

/// Runs the built `metron` binary as a user would and captures what it prints.
struct MetronInvocation {
    var status: Int32
    var stdout: String
    var stderr: String
}

enum Binaries {
    static let productsDirectory: String = {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return (executable as NSString).deletingLastPathComponent
    }()
    static let metron = productsDirectory + "/metron"
    static let spawner = productsDirectory + "/metron-spawner"
    static let workload = productsDirectory + "/metron-workload"

    static func workload(_ arguments: String...) -> String {
        ([workload] + arguments).joined(separator: " ")
    }

    static func temporaryPath(_ name: String) -> String {
        let directory = NSTemporaryDirectory() + "metron-cli-tests-\(getpid())"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory + "/" + UUID().uuidString + "-" + name
    }
}

/// Starts metron; `whileRunning` gets the process (e.g. to signal it) before the wait.
@discardableResult
func metron(_ arguments: [String], environment: [String: String] = [:], directory: String? = nil,
            executable: String = Binaries.metron, whileRunning: ((Process) -> Void)? = nil) throws -> MetronInvocation {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = "1"
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let out = Binaries.temporaryPath("stdout")
    let err = Binaries.temporaryPath("stderr")
    _ = FileManager.default.createFile(atPath: out, contents: nil)
    _ = FileManager.default.createFile(atPath: err, contents: nil)
    defer {
        try? FileManager.default.removeItem(atPath: out)
        try? FileManager.default.removeItem(atPath: err)
    }
    process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
    process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
    process.standardInput = FileHandle.nullDevice
    try process.run()
    whileRunning?(process)
    process.waitUntilExit()
    return MetronInvocation(
        status: process.terminationStatus,
        stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
        stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
}

func decodeReport(_ path: String) throws -> RunReport {
    try decodeReport(data: Data(contentsOf: URL(fileURLWithPath: path)))
}

func decodeReport(data: Data) throws -> RunReport {
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return try decoder.decode(RunReport.self, from: data)
}

func isAlive(_ pid: pid_t) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return false }
    let state = stat[stat.index(close, offsetBy: 2)]
    return state != "Z" && state != "X"
}
