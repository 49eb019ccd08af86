/// A bounded least-recently-used cache of service statuses (seed 000's "cache hit ratios").
public struct StatusCache<Key: Hashable, Value> {
    private final class Node {
        let key: Key
        var value: Value
        var previous: Node?
        var next: Node?
        init(key: Key, value: Value) {
            self.key = key
            self.value = value
        }
    }

    public let capacity: Int
    private var nodes: [Key: Node] = [:]
    private var head: Node?
    private var tail: Node?

    public init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    public var count: Int { nodes.count }

    /// The cached value (and marks it recently used), or nil on a miss.
    public mutating func value(for key: Key) -> Value? {
        guard let node = nodes[key] else { return nil }
        moveToFront(node)
        return node.value
    }

    public mutating func insert(_ value: Value, for key: Key) {
        if let node = nodes[key] {
            node.value = value
            moveToFront(node)
            return
        }
        let node = Node(key: key, value: value)
        nodes[key] = node
        pushFront(node)
        if nodes.count > capacity, let last = tail {
            unlink(last)
            nodes[last.key] = nil
        }
    }

    private mutating func moveToFront(_ node: Node) {
        guard head !== node else { return }
        unlink(node)
        pushFront(node)
    }

    private mutating func pushFront(_ node: Node) {
        node.next = head
        node.previous = nil
        head?.previous = node
        head = node
        if tail == nil { tail = node }
    }

    private mutating func unlink(_ node: Node) {
        node.previous?.next = node.next
        node.next?.previous = node.previous
        if head === node { head = node.next }
        if tail === node { tail = node.previous }
        node.previous = nil
        node.next = nil
    }
}
