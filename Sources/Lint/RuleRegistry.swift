/// Every rule, in id order.
public enum RuleRegistry {
    public static let all: [any Rule] = [
        DiagnosticRule.unknownProperty, DiagnosticRule.propertyType, DiagnosticRule.requiredProperty,
        DiagnosticRule.intrinsicFunction, DiagnosticRule.unknownReference, TemplateSizeRule(), ResourceCountRule(),
        DiagnosticRule.templateStructure, SuppressionRule(),
        KeySchemaShapeRule(), KeyTypeValueRule(), AttributeTypeValueRule(), AttributeDefinitionsMatchRule(),
        IndexNameRule(), IndexNameUniqueRule(), IndexCountRule(), LocalIndexKeyRule(), GlobalIndexKeyRule(),
        IndexedTableCreationRule(),
        ProjectionTypeValueRule(), ProjectionAttributesRule(), ProjectionTotalRule(),
        BillingModeValueRule(), ProvisionedThroughputRequiredRule(), OnDemandThroughputRule(), ThroughputMinimumRule(),
        ProvisionedWithoutOnDemandThroughputRule(),
        StreamViewTypeValueRule(), StreamArnWithoutStreamRule(),
        GlobalTableReplicasRule(), GlobalTableStreamRule(), GlobalTableConsistencyRule(),
        TimeToLiveAttributeRule(), TimeToLiveAttributeTypeRule(), PointInTimeRecoveryPeriodRule(),
        EncryptionSettingsRule(), TableClassValueRule(), TagsRule(),
        TableNameRule(), TableNameUniqueRule(), PolicyValueRule(), RetentionPoliciesRule(),
        ProductionPointInTimeRecoveryRule(), ProductionDeletionProtectionRule(), ProductionRetainRule(),
        ProductionEncryptionRule(),
    ]

    public static func rule(_ id: String) -> (any Rule)? {
        all.first { $0.description.id.caseInsensitiveEquals(id) || $0.description.name == id }
    }
}

extension String {
    func caseInsensitiveEquals(_ other: String) -> Bool { lowercased() == other.lowercased() }
}
