# The app as a container image, built from the repository (issue 13, goal 8):
#   docker build -t conditional-offer .
#   docker run --rm -p 8501:8501 conditional-offer
# One Streamlit process per container; scale out with replicas behind an L7 balancer with cookie affinity
# (deploy/compose/compose.yaml, or deploy/k8s/). The live-class store is chosen by one URL setting,
# CONDITIONAL_OFFER_DB_URL (PostgreSQL for more than one replica); without it, a SQLite file in /data.
FROM python:3.11-slim

# MALLOC_ARENA_MAX=2: Streamlit runs each rerun on a new thread, and glibc's per-thread malloc arenas
# fragment; capped at two, a 20-minute soak of 20 students grew 4 MB from minute 2 (6-7 MB without).
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    CONDITIONAL_OFFER_DATA_DIR=/data MALLOC_ARENA_MAX=2
WORKDIR /app
COPY pyproject.toml README.md ./
COPY model ./model
RUN pip install '.[app]'
COPY ui ./ui
COPY scenarios ./scenarios
COPY .streamlit ./.streamlit
RUN useradd --system --uid 10001 app && mkdir -p /data && chown app /data
USER app
EXPOSE 8501
HEALTHCHECK --interval=15s --timeout=3s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=2)"
CMD ["python", "-m", "streamlit", "run", "ui/app.py", "--server.address", "0.0.0.0", "--server.port", "8501", \
     "--server.headless", "true"]
