# The container route: Odoo 11 on Python 3.7 with the same pinned requirements
# as the local set-up (requirements*.txt, constraints.txt).
FROM python:3.7-slim-bullseye

ENV DEBIAN_FRONTEND=noninteractive PYTHONUNBUFFERED=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      build-essential libldap2-dev libsasl2-dev libpq-dev libxml2-dev libxslt1-dev \
      libjpeg-dev zlib1g-dev wkhtmltopdf fonts-dejavu-core npm curl postgresql-client \
 && npm install -g less@3.13.1 \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /opt/sales-suite
COPY requirements.txt requirements-oca.txt requirements-dev.txt constraints.txt ./
RUN pip install --no-cache-dir -c constraints.txt -r requirements.txt \
 && pip install --no-cache-dir --no-deps -r requirements-oca.txt

COPY addons ./addons
COPY demo ./demo
COPY onec ./onec
COPY scripts/odoo-bin odoo.conf ./

RUN useradd --create-home odoo && mkdir -p /var/lib/odoo /var/log/odoo /etc/odoo \
 && chown odoo: /var/lib/odoo /var/log/odoo
USER odoo
# HTTP workers, and the longpolling process of the prefork server
# (deploy/odoo.prod.conf, mounted at /etc/odoo/odoo.conf by docker-compose.yml)
EXPOSE 8069 8072
CMD ["python", "odoo-bin", "-c", "odoo.conf", "--db_host=db", "--db_user=odoo", "--db_password=odoo", \
     "--data-dir=/var/lib/odoo", "--addons-path=/opt/sales-suite/addons", "--http-interface=0.0.0.0"]
