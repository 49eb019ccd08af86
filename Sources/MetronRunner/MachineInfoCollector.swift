import Glibc
import MetronCore

/// Reads the machine fingerprint from /proc, /sys and uname. Anything unreadable becomes
/// "unknown" rather than an error: a fingerprint is evidence, not a precondition.
public enum MachineInfoCollector {
    public static func collect(toolchain: String? = nil) -> MachineInfo {
        var names = utsname()
        uname(&names)
        func field<T>(_ value: inout T) -> String {
            withUnsafePointer(to: &value) {
                String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
            }
        }
        let cpuinfo = ProcFS.readString("/proc/cpuinfo") ?? ""
        let cpuModel = cpuinfo.split(separator: "\n")
            .first { $0.hasPrefix("model name") || $0.hasPrefix("Hardware") || $0.hasPrefix("cpu model") }
            .flatMap { $0.split(separator: ":", maxSplits: 1).last }
            .map { String($0.trimmed()) } ?? "unknown"
        let memoryKiB = (ProcFS.readString("/proc/meminfo") ?? "").split(separator: "\n")
            .first { $0.hasPrefix("MemTotal:") }
            .map { ProcFS.integers(in: Array($0.utf8)).first ?? 0 } ?? 0
        let governor = ProcFS.readString("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor")
            .map { String(Substring($0).trimmed()) }
        return MachineInfo(
            hostname: field(&names.nodename),
            cpuModel: cpuModel,
            logicalCores: Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))),
            memoryBytes: memoryKiB * 1024,
            os: osName(),
            kernel: field(&names.release),
            architecture: field(&names.machine),
            cpuGovernor: governor,
            toolchain: toolchain)
    }

    static func osName() -> String {
        guard let text = ProcFS.readString("/etc/os-release") else { return "Linux" }
        for line in text.split(separator: "\n") where line.hasPrefix("PRETTY_NAME=") {
            return String(line.dropFirst("PRETTY_NAME=".count).trimmed { $0 == "\"" })
        }
        return "Linux"
    }
}
