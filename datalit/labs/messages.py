"""Korean messages for teams (feedback notes), keyed by the event that caused them."""
from __future__ import annotations

NOTES = {
    "wall_timeout": "실행 시간 제한({timeout}초)을 넘어 커널을 중지했습니다. 무한 루프나 너무 오래 걸리는 코드가 있는지 확인하세요.",
    "cell_timeout": "한 셀의 실행이 시간 제한({cell_timeout}초)을 넘어 중단되었습니다. 무한 루프가 없는지 확인하세요.",
    "memory": "메모리 한도({memory_mb} MB)를 넘어 커널이 강제 종료되었습니다. 너무 큰 데이터를 만들지 않았는지 확인하세요.",
    "memory_error": "한 셀이 메모리 한도({memory_mb} MB)를 넘는 메모리를 요청해 실행에 실패했습니다(MemoryError). 너무 큰 데이터를 한꺼번에 만들지 않았는지 확인하세요.",
    "processes": "프로세스 수 한도({max_processes}개)에 걸렸습니다. 프로세스를 계속 만드는 코드(fork)는 채점 환경에서 실행할 수 없습니다.",
    "cpu": "CPU 시간 한도({cpu_seconds}초)를 넘어 커널이 강제 종료되었습니다. 계산량을 줄이거나 반복을 확인하세요.",
    "dead_kernel": "채점 중 커널이 종료되었습니다(sys.exit, os._exit, 프로세스 종료 등). 종료 이후의 셀은 실행되지 않아 0점 처리되었습니다.",
    "output": "출력이 너무 많아({max_output_kb} KB 초과) 나머지 출력은 잘라냈습니다. 큰 표나 긴 반복 출력을 줄이세요.",
    "network": "채점 환경에서는 네트워크를 사용할 수 없습니다. 인터넷 연결을 시도한 코드가 실패했습니다.",
    "permission": "허용되지 않은 파일(숨은 테스트, 채점 데이터베이스, 다른 팀의 파일 등)에 접근하려다 거부되었습니다.",
    "checksum": "채점용 테스트 셀이 수정되었거나 지워져 원래 테스트로 되돌려 채점했습니다. 테스트 셀은 고치지 마세요.",
    "invalid_json": "제출한 노트북 '{notebook}' 파일이 올바른 노트북(JSON) 형식이 아니어서 채점할 수 없었습니다. 원본 제출물은 보관되어 있습니다. 노트북을 JupyterLab에서 다시 저장해 제출하세요.",
    "missing_notebook": "제출물에 노트북 '{notebook}'이(가) 없어 0점 처리되었습니다.",
    "kernel_name": "노트북의 커널 이름 '{kernel}'을(를) 알 수 없어 기본 커널(python3)로 채점했습니다.",
    "big_file": "팀 제출물의 파일 '{file}'({size_mb} MB)이(가) 크기 제한({max_file_mb} MB)을 넘어 채점에 포함하지 않았습니다.",
    "grader_error": "채점 중 오류가 발생해 자동 채점 점수를 매기지 못했습니다. 강사에게 문의하세요.",
    "late": "마감보다 {late} 늦게 제출되어 감점 정책이 적용되었습니다.",
}

KILLED_TEXT = "커널이 강제 종료되어 이 셀은 실행되지 않았습니다."
OUTPUT_CUT_TEXT = "\n[채점 환경] 출력이 너무 많아 여기서부터 잘라냈습니다.\n"


def note(key: str, **values) -> str:
    text = NOTES[key]
    try:
        return text.format(**values)
    except (KeyError, IndexError):
        return text
