import AWS
import Changes
import Template

/// The last gate before a change set runs: what CloudFormation itself says it will do.
extension Deployer {
    /// The changes CloudFormation's verdict on `changeSet` adds beyond what the guard accepted: a table it replaces
    /// (True or Conditional) or removes that no acknowledgement covers. Empty when the change set may run.
    func gate(_ changeSet: CloudFormationClient.ChangeSet, request: DeployRequest) -> [Change] {
        var review = request.review
        review.merge(ChangeSetPreview.verdict(changeSet), base: request.base, head: request.head)
        let accepted = request.review.failing
        return review.failing.filter { !accepted.contains($0) }
    }

    /// Why `--execute` must not run `changeSet`, or nil: ddbstack made it from this template (its Description records
    /// the template's SHA-256), it deploys the template this step would send, and the values given now.
    func unverified(_ changeSet: CloudFormationClient.ChangeSet, step: DeployRequest.Step, request: DeployRequest)
        async throws -> String?
    {
        guard changeSet.description?.contains("sha256:\(request.templateSHA256)") == true else {
            return "it was not made by 'ddbstack deploy --no-execute' from this template (its description "
                + (changeSet.description.map { "is '\($0)'" } ?? "is empty")
                + ", not this template's sha256:\(request.templateSHA256.prefix(16))…)"
        }
        let body = try await stacks.getTemplate(request.stackName, stage: "Original", changeSet: changeSet.name)
        guard Self.sameTemplate(body, step.body) else {
            return
                "the template it deploys is not the one this step would send (the template or its staging changed since it was made)"
        }
        for parameter in request.parameters {
            guard let value = parameter.value, let theirs = changeSet.parameters[parameter.key],
                theirs != DeployedStack.maskedValue, theirs != value
            else { continue }
            return "it was made with \(parameter.key)='\(theirs)', not the value given now"
        }
        return nil
    }

    /// Two template texts with the same content, whichever revision they record: CloudFormation may hand back a
    /// template in another layout, and `--execute` may name another revision than `--no-execute` did.
    static func sameTemplate(_ left: String, _ right: String) -> Bool {
        if left == right { return true }
        guard let a = try? Template.parse(Array(left.utf8)), let b = try? Template.parse(Array(right.utf8)) else {
            return false
        }
        return JSONWriter.compact(RevisionRecord.strip(a.root)) == JSONWriter.compact(RevisionRecord.strip(b.root))
    }
}
