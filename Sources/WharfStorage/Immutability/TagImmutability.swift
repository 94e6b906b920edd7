/// The immutable-tag rules a ``RegistryStore`` enforces (``RegistryStoreOptions/immutableTags``).
///
/// For a tag that exists and that a rule protects, the store refuses to move it to another
/// manifest, to delete it, and to delete a manifest it points at, with
/// ``RegistryStoreError/tagImmutable(_:repository:rule:)``. Pushing the manifest the tag
/// already names again succeeds (CI retries stay idempotent), and a new tag can always be
/// created. Because the store enforces them, the rules hold for every writer that goes
/// through it: the registry API, copies, promotions and retention alike.
public struct TagImmutability: Sendable, Hashable {
    /// The rules; a tag is immutable when any of them protects it.
    public var rules: [ImmutableTagRule]

    /// Creates a rule set.
    public init(rules: [ImmutableTagRule] = []) {
        self.rules = rules
    }

    /// No rules: every tag is mutable.
    public static let none = TagImmutability()

    /// The first rule protecting `tag` in `repository`, or `nil` when the tag is mutable.
    public func rule(protecting tag: String, in repository: String) -> ImmutableTagRule? {
        rules.first { $0.protects(tag, in: repository) }
    }

    /// Whether any rule covers `repository` at all, so that a store can skip the tag
    /// lookups a check needs where none does.
    public func covers(repository: String) -> Bool {
        rules.contains { $0.repositories.matches(repository) }
    }
}
