import TidepoolSim
import XCTest

final class SimConfigTests: XCTestCase {
    func testModelLookupHandlesTags() throws {
        let config = SimConfig()
        XCTAssertEqual(config.model(named: "sim-fast"), .fast)
        XCTAssertEqual(config.model(named: "sim-fast:latest"), .fast)
        let instant = try XCTUnwrap(config.model(named: "sim-thinker:instant"))
        XCTAssertEqual(instant.timeToFirstToken, .zero)
        XCTAssertEqual(instant.tokensPerSecond, .infinity)
        XCTAssertEqual(instant.reasoningTokens, SimModel.thinker.reasoningTokens)
        XCTAssertNil(config.model(named: "sim-fast:7b"))
        XCTAssertNil(config.model(named: "gpt-4o"))
    }

    func testGatherTagCombinesWithInstant() throws {
        let config = SimConfig()
        let held = try XCTUnwrap(config.model(named: "sim-fast:instant:gather3"))
        XCTAssertEqual(held.gatherCount, 3)
        XCTAssertEqual(held.timeToFirstToken, .zero)
        XCTAssertEqual(try XCTUnwrap(config.model(named: "sim-fast:gather2:instant")).gatherCount, 2)
        XCTAssertNil(config.model(named: "sim-fast").flatMap(\.gatherCount))
        XCTAssertNil(config.model(named: "sim-fast:gather"))
        XCTAssertNil(config.model(named: "sim-fast:gather0"))
        XCTAssertNil(config.model(named: "sim-fast:instant:7b"))
    }

    func testDefaultsIncludeEveryFault() {
        let faults = Set(SimConfig().models.compactMap(\.fault))
        XCTAssertEqual(faults, Set(SimFault.allCases))
        let names = Set(SimConfig().models.map(\.name))
        for name in ["sim-fast", "sim-steady", "sim-thinker", "sim-instant", "fault-drop", "fault-stall",
                     "fault-429", "fault-500", "fault-malformed", "fault-refuse"] {
            XCTAssertTrue(names.contains(name), name)
        }
    }

    func testSpeedIsClampedPositive() {
        XCTAssertEqual(SimConfig(speed: 0).speed, 1)
        XCTAssertEqual(SimConfig(speed: -3).speed, 1)
        XCTAssertEqual(SimConfig(speed: 4).speed, 4)
    }
}
