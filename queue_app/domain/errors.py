"""Errors the rules raise; the API maps each code to a 4xx status."""


class DomainError(Exception):
    code = "domain_error"
    status = 422

    def __init__(self, message, code=None, status=None, **details):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if status:
            self.status = status
        self.details = details


class NotFound(DomainError):
    code = "not_found"
    status = 404


class Forbidden(DomainError):
    code = "forbidden"
    status = 403


class Conflict(DomainError):
    code = "conflict"
    status = 409


class InvalidInput(DomainError):
    code = "invalid_input"
    status = 422
