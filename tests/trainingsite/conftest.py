import pytest

COVERAGE_LINES: list[str] = []


@pytest.fixture
def report_coverage():
    """``report_coverage(line)``: a line printed in the summary at the end of the run."""
    return COVERAGE_LINES.append


def pytest_terminal_summary(terminalreporter):
    if COVERAGE_LINES:
        terminalreporter.section("what the id test covered")
        for line in COVERAGE_LINES:
            terminalreporter.write_line(line)
