@testable import AWSClient
@testable import AWSCore
@testable import AWSCredentialProviders
import Testing

/// The XML subset STS answers in: read as AWS and moto write it, everything else refused.
struct STSXMLTests {
    @Test func readsAnAnswerAsAWSWritesIt() throws {
        let answer = """
            <?xml version="1.0" encoding="UTF-8"?>
            <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <AssumeRoleResult>
                <Credentials>
                  <AccessKeyId>ASIAEXAMPLE</AccessKeyId>
                  <SecretAccessKey>a/b+c&amp;d&#x41;&#66;</SecretAccessKey>
                  <Expiration>2026-12-05T10:26:48Z</Expiration>
                </Credentials>
                <PackedPolicySize/>
              </AssumeRoleResult>
            </AssumeRoleResponse>
            """
        let document = try STSXML(parsing: Array(answer.utf8))
        #expect(document.root.name == "AssumeRoleResponse")
        #expect(document.root.find(["AssumeRoleResult", "Credentials", "AccessKeyId"])?.text == "ASIAEXAMPLE")
        #expect(document.root.find(["AssumeRoleResult", "Credentials", "SecretAccessKey"])?.text == "a/b+c&dAB")
        #expect(document.root.find(["AssumeRoleResult", "PackedPolicySize"])?.children == [])
    }

    @Test func aPrefixedNamespaceIsDropped() throws {
        let document = try STSXML(parsing: Array("<sts:Error xmlns:sts='x'><sts:Code>A</sts:Code></sts:Error>".utf8))
        #expect(document.root.child("Code")?.text == "A")
    }

    @Test(arguments: [
        ("<a><!-- c --></a>", "comments are not expected"),
        ("<a><![CDATA[x]]></a>", "CDATA sections are not expected"),
        ("<!DOCTYPE a><a/>", "declarations and instructions are not expected"),
        ("<a><b></a></b>", "<b> is closed by </a>"),
        ("<a>x", "<a> is not closed"),
        ("<a>&bogus;</a>", "the entity '&bogus;' is not known"),
        ("<a/><b/>", "there is text after the document's element"),
        ("", "an element was expected"),
    ])
    func refusesWhatSTSNeverSends(_ text: String, _ reason: String) {
        #expect {
            _ = try STSXML(parsing: Array(text.utf8))
        } throws: { error in
            (error as? STSXML.Problem)?.description.hasPrefix(reason) == true
        }
    }

    @Test func nestingIsBounded() {
        let deep = String(repeating: "<a>", count: 100) + String(repeating: "</a>", count: 100)
        #expect(throws: STSXML.Problem.self) { try STSXML(parsing: Array(deep.utf8)) }
    }
}
