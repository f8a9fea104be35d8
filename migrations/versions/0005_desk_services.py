"""Desks: which services each may offer, and desks switched off

`desk_services` (desk × service): a clerk signed in at a desk may choose only services the
desk offers; a desk listing none offers every service, which is what every desk did before,
so existing desks keep their behaviour without a row. `desks.active` (default true on every
existing row): a desk with a history is switched off instead of deleted, so the reports
keep it.

Revision ID: 0005_desk_services
Revises: 0004_office
Create Date: 2026-12-06 04:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_desk_services'
down_revision = '0004_office'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('desk_services',
    sa.Column('desk_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['desk_id'], ['desks.id'], ),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], ),
    sa.PrimaryKeyConstraint('desk_id', 'service_id')
    )
    with op.batch_alter_table('desks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('active', sa.Boolean(), server_default=sa.text('true'),
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('desks', schema=None) as batch_op:
        batch_op.drop_column('active')
    op.drop_table('desk_services')
