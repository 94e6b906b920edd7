extension LifecyclePolicy {
    /// One rule: its priority, which images it selects, and what it does to them.
    public struct Rule: Sendable, Hashable, Codable {
        /// Lower numbers are applied first.
        public var rulePriority: Int
        /// The operator's words for it.
        public var description: String?
        /// Which images, and which of those expire.
        public var selection: Selection
        /// What happens to them: `expire`.
        public var action: Action

        /// Creates a rule.
        public init(
            rulePriority: Int, description: String? = nil, selection: Selection, action: Action = Action()
        ) {
            self.rulePriority = rulePriority
            self.description = description
            self.selection = selection
            self.action = action
        }

        private enum CodingKeys: String, CodingKey, CaseIterable {
            case rulePriority, description, selection, action
        }

        /// Decodes a rule, refusing unknown keys and `null`s.
        public init(from decoder: any Decoder) throws {
            let container = try StrictKeys.container(decoder, keyedBy: CodingKeys.self)
            rulePriority = try container.decode(Int.self, forKey: .rulePriority)
            description = try StrictKeys.optional(String.self, container, .description)
            selection = try container.decode(Selection.self, forKey: .selection)
            action = try container.decode(Action.self, forKey: .action)
        }
    }

    /// The images a rule selects and the count that makes them expire.
    public struct Selection: Sendable, Hashable, Codable {
        /// Which images by tag.
        public enum TagStatus: String, Sendable, Hashable, Codable {
            /// Images with a tag matching the rule's prefix or pattern list.
            case tagged
            /// Images without tags.
            case untagged
            /// Every image.
            case any
        }

        /// How the rule counts.
        public enum CountType: String, Sendable, Hashable, Codable {
            /// More than `countNumber` images: the oldest pushed beyond that expire.
            case imageCountMoreThan
            /// Pushed more than `countNumber` days ago.
            case sinceImagePushed
            /// Not pulled for more than `countNumber` days (never pulled: since the push).
            case sinceImagePulled
        }

        /// Which images by tag.
        public var tagStatus: TagStatus
        /// With `tagged`: every prefix must begin one of the image's tags.
        public var tagPrefixList: [String]?
        /// With `tagged`: every pattern (`*` for any run of characters) must match one of the
        /// image's tags whole.
        public var tagPatternList: [String]?
        /// `standard` (the only class Wharf has).
        public var storageClass: String?
        /// How the rule counts.
        public var countType: CountType
        /// `days`, with the `since` count types.
        public var countUnit: String?
        /// The count.
        public var countNumber: Int

        /// Creates a selection.
        public init(
            tagStatus: TagStatus, tagPrefixList: [String]? = nil, tagPatternList: [String]? = nil,
            storageClass: String? = nil, countType: CountType, countUnit: String? = nil, countNumber: Int
        ) {
            self.tagStatus = tagStatus
            self.tagPrefixList = tagPrefixList
            self.tagPatternList = tagPatternList
            self.storageClass = storageClass
            self.countType = countType
            self.countUnit = countUnit
            self.countNumber = countNumber
        }

        private enum CodingKeys: String, CodingKey, CaseIterable {
            case tagStatus, tagPrefixList, tagPatternList, storageClass, countType, countUnit, countNumber
        }

        /// Decodes a selection, refusing unknown keys and `null`s.
        public init(from decoder: any Decoder) throws {
            let container = try StrictKeys.container(decoder, keyedBy: CodingKeys.self)
            tagStatus = try container.decode(TagStatus.self, forKey: .tagStatus)
            tagPrefixList = try StrictKeys.optional([String].self, container, .tagPrefixList)
            tagPatternList = try StrictKeys.optional([String].self, container, .tagPatternList)
            storageClass = try StrictKeys.optional(String.self, container, .storageClass)
            countType = try container.decode(CountType.self, forKey: .countType)
            countUnit = try StrictKeys.optional(String.self, container, .countUnit)
            countNumber = try container.decode(Int.self, forKey: .countNumber)
        }
    }

    /// What a rule does to the images that expire under it.
    public struct Action: Sendable, Hashable, Codable {
        /// `expire`.
        public var type: String
        /// Only with `transition`, which Wharf refuses.
        public var targetStorageClass: String?

        /// The `expire` action.
        public init(type: String = "expire", targetStorageClass: String? = nil) {
            self.type = type
            self.targetStorageClass = targetStorageClass
        }

        private enum CodingKeys: String, CodingKey, CaseIterable {
            case type, targetStorageClass
        }

        /// Decodes an action, refusing unknown keys and `null`s.
        public init(from decoder: any Decoder) throws {
            let container = try StrictKeys.container(decoder, keyedBy: CodingKeys.self)
            type = try container.decode(String.self, forKey: .type)
            targetStorageClass = try StrictKeys.optional(String.self, container, .targetStorageClass)
        }
    }
}

extension LifecyclePolicy.Rule {
    /// How reports name the rule: `rule 1 ("keep 10 releases")`.
    public var label: String {
        "rule \(rulePriority)" + (description.map { " (\"\($0)\")" } ?? "")
    }
}
