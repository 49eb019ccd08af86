public enum MetronVersion {
    public static let current = "0.1.0"
}
