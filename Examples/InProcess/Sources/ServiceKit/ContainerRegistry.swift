/// A registry of running containers, looked up by id and by image: the "container registry
/// growth" of seed 004.
public struct Container: Sendable, Equatable {
    public var id: String
    public var image: String
    public var ports: [Int]
    public var healthy: Bool

    public init(id: String, image: String, ports: [Int], healthy: Bool = true) {
        self.id = id
        self.image = image
        self.ports = ports
        self.healthy = healthy
    }
}

public struct ContainerRegistry: Sendable {
    private var byID: [String: Container] = [:]
    private var byImage: [String: [String]] = [:]

    public init() {}

    public var count: Int { byID.count }

    public mutating func register(_ container: Container) {
        if byID.updateValue(container, forKey: container.id) == nil {
            byImage[container.image, default: []].append(container.id)
        }
    }

    public func container(id: String) -> Container? { byID[id] }

    public func containers(image: String) -> [Container] {
        (byImage[image] ?? []).compactMap { byID[$0] }
    }

    /// A registry of `count` containers over a handful of images.
    public static func sample(count: Int) -> ContainerRegistry {
        var registry = ContainerRegistry()
        for index in 0..<count {
            registry.register(Container(id: "container-\(index)", image: "image-\(index % 8)", ports: [8000 + index % 100]))
        }
        return registry
    }
}
