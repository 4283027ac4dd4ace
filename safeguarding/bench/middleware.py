"""The benchmark's query counter: the number of SQL queries a response cost, in the
`X-Bench-Queries` header. Only in the list of middleware when BENCH_QUERY_HEADER is set (the
benchmark's gunicorn sets it; nothing else does), outermost, so it counts everything the
request did, the session's save included."""

from django.db import connection


class QueryCountMiddleware:
    HEADER = "X-Bench-Queries"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response[self.HEADER] = str(count)
        return response
