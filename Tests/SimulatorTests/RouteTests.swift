import Foundation
import Model
import Simulator
import Testing

/// The operations and routing, over real loopback HTTP.
struct RouteTests {
    @Test func getBulkPublishDetailsAnswersLikeTheService() async throws {
        try await Harness.run(try standardScenario()) { harness in
            harness.clock.advance(by: 7)
            let response = try await harness.details(PoolIDs.succeeding)
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "application/json")
            #expect(response.header("x-amzn-ErrorType") == nil)
            let requestID = try #require(response.header("x-amzn-RequestId"))
            #expect(UUID(uuidString: requestID) != nil)
            #expect(requestID == requestID.lowercased())
            #expect(response.header("Date") == "Tue, 14 Nov 2023 22:13:27 GMT")
            #expect(try response.jsonKeys() == ["IdentityPoolId", "BulkPublishStatus", "BulkPublishStartTime", "BulkPublishCompleteTime"])
            let details = try response.details()
            #expect(details == BulkPublishDetails(
                identityPoolID: PoolIDs.succeeding, status: .succeeded,
                startTime: harness.simulator.startDate.addingTimeInterval(2),
                completeTime: harness.simulator.startDate.addingTimeInterval(6)))
        }
    }

    @Test func fieldsThatDoNotApplyAreLeftOut() async throws {
        try await Harness.run(try standardScenario()) { harness in
            #expect(try await harness.details(PoolIDs.succeeding).jsonKeys() == ["IdentityPoolId", "BulkPublishStatus"])
            harness.clock.advance(by: 3)
            #expect(try await harness.details(PoolIDs.succeeding).jsonKeys() == ["IdentityPoolId", "BulkPublishStatus", "BulkPublishStartTime"])
            harness.clock.advance(by: 2)
            let failed = try await harness.details(PoolIDs.failing)
            #expect(try failed.jsonKeys() == ["IdentityPoolId", "BulkPublishStatus", "BulkPublishStartTime", "BulkPublishCompleteTime", "FailureMessage"])
            #expect(try failed.details().failureMessage == "Kinesis stream not found")
            #expect(try failed.details().startTime == harness.simulator.startDate.addingTimeInterval(-30))
        }
    }

    @Test func thePoolIDMayArriveWithAnUnencodedColon() async throws {
        try await Harness.run(try standardScenario()) { harness in
            var request = harness.unsigned(pool: PoolIDs.succeeding)
            request.target = "/identitypools/\(PoolIDs.succeeding)/getBulkPublishDetails"
            let signed = RequestSigner().sign(request, region: "us-east-1", date: harness.clock.now())
            let response = try await harness.client.send(signed)
            #expect(response.status == 200)
            #expect(try response.details().identityPoolID == PoolIDs.succeeding)
        }
    }

    @Test func anInvalidPoolIDIsAnInvalidParameterWithTheModelsExplanation() async throws {
        try await Harness.run(try standardScenario()) { harness in
            let raw = "us-east-1:23EC4050-6AEA-7089-A2DD-08002EXAMPLE"
            let response = try await harness.details(raw)
            #expect(response.status == 400)
            #expect(response.errorCode == "InvalidParameterException")
            let body = try response.errorBody()
            #expect(body.type == "InvalidParameterException")
            let modelError = try #require(throws: IdentityPoolIDError.self) { try IdentityPoolID(validating: raw) }
            #expect(body.message == "Invalid IdentityPoolId '\(raw)': \(modelError.description)")
        }
    }

    @Test func anUnknownPoolIsNotFound() async throws {
        try await Harness.run(try standardScenario()) { harness in
            for operation in ["getBulkPublishDetails", "bulkpublish"] {
                let response = try await harness.client.send(harness.signed(operation, pool: PoolIDs.undeclared))
                #expect(response.status == 404)
                #expect(response.errorCode == "ResourceNotFoundException")
                #expect(try response.errorBody().message == "IdentityPool '\(PoolIDs.undeclared)' not found.")
                #expect(response.header("x-amzn-ErrorType")
                    == "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.cognito.sync.model/")
            }
        }
    }

    @Test(arguments: [
        "/identitypools", "/identitypools/us-east-1%3A0b5c/getbulkpublishdetails",
        "/identitypools/us-east-1%3A0b5c/getBulkPublishDetails/", "/identitypools//getBulkPublishDetails",
        "/identitypools/us-east-1%3A0b5c/datasets",
    ])
    func anUnknownRouteIsAnUnknownOperation(path: String) async throws {
        try await Harness.run(try standardScenario()) { harness in
            var request = harness.unsigned(pool: PoolIDs.succeeding)
            request.target = path
            let response = try await harness.client.send(RequestSigner().sign(request, region: "us-east-1", date: harness.clock.now()))
            #expect(response.status == 404)
            #expect(response.errorCode == "UnknownOperationException")
            #expect(try response.errorBody().type == "UnknownOperationException")
        }
    }

    /// `POST /` is STS's query protocol: an action it does not know is answered in STS's XML.
    @Test func postToTheRootIsSecurityTokenService() async throws {
        try await Harness.run(try standardScenario()) { harness in
            var request = harness.unsigned(pool: PoolIDs.succeeding)
            request.target = "/"
            request.body = Array("Action=GetCallerIdentity&Version=2011-06-15".utf8)
            let response = try await harness.client.send(request)
            #expect(response.status == 400)
            #expect(response.header("Content-Type") == "text/xml")
            #expect(response.text.contains("<Code>InvalidAction</Code>"), "\(response.text)")
        }
    }

    @Test(arguments: ["GET", "PUT", "DELETE"])
    func anotherMethodThanPostIsRefusedWithAllow(method: String) async throws {
        try await Harness.run(try standardScenario()) { harness in
            let response = try await harness.client.send(harness.signed(pool: PoolIDs.succeeding, method: method))
            #expect(response.status == 405)
            #expect(response.header("Allow") == "POST")
            #expect(response.errorCode == "UnknownOperationException")
            #expect(try response.errorBody().message == "GetBulkPublishDetails is called with POST, not \(method)")
        }
    }

    @Test func errorsCarryTheSameCodeInHeaderAndBody() async throws {
        try await Harness.run(try standardScenario()) { harness in
            let response = try await harness.details(PoolIDs.undeclared)
            #expect(response.header("Content-Type") == "application/json")
            #expect(UUID(uuidString: response.header("x-amzn-RequestId") ?? "") != nil)
            #expect(try response.errorBody().type == response.errorCode)
        }
    }
}
